package io.runstream.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The soak's callee on 127.0.0.1: {@code /ok/...} answers 200; {@code /flaky/...} and {@code /broken/...} answer 503
 * and 500 to the first request on each path and 200 after. It keeps every request's Idempotency-Key by path, so
 * the soak can count the side effects each execution caused.
 */
final class SoakEndpoint implements AutoCloseable {

    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, List<String>> keys = new ConcurrentHashMap<>();

    SoakEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            List<String> seen = keys.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
            boolean first;
            synchronized (seen) {
                first = seen.isEmpty();
                seen.add(key == null ? "" : key);
            }
            int status = first && path.startsWith("/flaky/") ? 503 : first && path.startsWith("/broken/") ? 500 : 200;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, OK.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(OK);
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The Idempotency-Keys of the requests made to {@code path}, in order. */
    List<String> keys(String path) {
        return keys.getOrDefault(path, List.of());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
