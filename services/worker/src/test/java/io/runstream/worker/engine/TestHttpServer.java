package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 for {@code call: http} tests:
 * {@code /orders/{id}} (JSON order), {@code /flaky/{key}?failures=N} (503 N times per key, then 200),
 * {@code /echo} (method, path, query, headers and body back), {@code /slow?ms=N}, {@code /status/{code}} and
 * {@code /text}.
 */
public final class TestHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public TestHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many requests a path has had. */
    public int calls(String path) {
        return calls.getOrDefault(path, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        try {
            if (path.startsWith("/orders/")) {
                String id = path.substring("/orders/".length());
                respond(exchange, 200, JSON.createObjectNode().put("id", id)
                        .put("status", id.startsWith("s") ? "shipped" : "pending"));
            } else if (path.startsWith("/flaky/")) {
                int failures = Integer.parseInt(param(query, "failures", "2"));
                if (call <= failures) {
                    respond(exchange, 503, JSON.createObjectNode().put("error", "try again"));
                } else {
                    respond(exchange, 200, JSON.createObjectNode().put("ok", true).put("calls", call));
                }
            } else if (path.equals("/echo")) {
                ObjectNode echo = JSON.createObjectNode().put("method", exchange.getRequestMethod()).put("path", path);
                echo.put("query", query);
                echo.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
                echo.put("token", exchange.getRequestHeaders().getFirst("X-Token"));
                echo.set("body", requestBody.length == 0 ? null : JSON.readTree(requestBody));
                respond(exchange, 200, echo);
            } else if (path.equals("/slow")) {
                Thread.sleep(Long.parseLong(param(query, "ms", "5000")));
                respond(exchange, 200, JSON.createObjectNode().put("slow", true));
            } else if (path.startsWith("/status/")) {
                int code = Integer.parseInt(path.substring("/status/".length()));
                respond(exchange, code, JSON.createObjectNode().put("code", code));
            } else if (path.equals("/text")) {
                byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, text.length);
                exchange.getResponseBody().write(text);
            } else {
                respond(exchange, 404, JSON.createObjectNode().put("error", "no such path"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String param(String query, String name, String fallback) {
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name) && kv.length == 2) {
                    return kv[1];
                }
            }
        }
        return fallback;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
