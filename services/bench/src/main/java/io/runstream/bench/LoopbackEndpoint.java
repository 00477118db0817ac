package io.runstream.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trivial HTTP endpoint on 127.0.0.1 and an ephemeral port that answers every request 200 {"ok":true}, but
 * {@code /oauth2/token}, an OAuth2 token endpoint that issues an hour's token to anyone.
 */
final class LoopbackEndpoint implements AutoCloseable {

    private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger tokens = new AtomicInteger();
    private static final byte[] TOKEN = "{\"access_token\":\"bench-access-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
            .getBytes(StandardCharsets.UTF_8);

    private LoopbackEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, BODY.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(BODY);
                }
                served.incrementAndGet();
            }
        });
        server.createContext("/oauth2/token", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, TOKEN.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(TOKEN);
                }
                tokens.incrementAndGet();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static LoopbackEndpoint start() throws IOException {
        return new LoopbackEndpoint();
    }

    /** The URL of {@code path} on this endpoint. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many token requests it has answered. */
    int tokens() {
        return tokens.get();
    }

    /** How many requests it has answered. */
    int served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
