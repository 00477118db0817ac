package io.runstream.ingress;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The projection's long poll as the ingress asks it over HTTP, where the projection runs on its own: each
 * {@code GET /v1/executions/{id}} is answered with a view of that execution in the status set here, or with 503 while
 * none is set (the projection cannot serve it). It keeps each request's path, query and key.
 */
final class StubProjection {

    /** One request the ingress sent. */
    record Asked(String path, String query, String apiKey) {
    }

    private final HttpServer server;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private volatile String status;

    StubProjection() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/executions/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            asked.add(new Asked(path, exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("X-API-Key")));
            String answering = status;
            byte[] body = answering == null ? "{\"code\":\"UNAVAILABLE\"}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"executionId\":\"" + path.substring(path.lastIndexOf('/') + 1) + "\",\"status\":\""
                            + answering + "\",\"output\":{\"from\":\"stub\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answering == null ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers every execution in this status from now on; null for 503. */
    void answer(String status) {
        this.status = status;
    }

    List<Asked> asked() {
        return List.copyOf(asked);
    }
}
