package io.runstream.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 for workflows that {@code call: http} in tests:
 * <ul>
 *   <li>{@code /orders/{id}}: a JSON order, shipped when the id starts with "s", pending otherwise;</li>
 *   <li>{@code /flaky/{key}?failures=N}: 503 for the first N calls of each path, then 200 with the call count;</li>
 *   <li>{@code /echo}: the method, path, query, Content-Type, X-Token header and JSON body back;</li>
 *   <li>{@code /auth/basic?user=U&password=P} and {@code /auth/bearer?token=T}: 200 when the Authorization header
 *   carries those credentials, 401 otherwise;</li>
 *   <li>{@code /slow?ms=N}: answers after N milliseconds;</li>
 *   <li>{@code /status/{code}}: answers with that status;</li>
 *   <li>{@code /text}: "hello" as text/plain;</li>
 *   <li>{@code /ok/{anything}}: 200 with the call count of that path;</li>
 *   <li>{@code /v1/traces}: an OTLP/HTTP trace collector that accepts every export;</li>
 *   <li>{@code /documents/.../{name}}: the classpath resource {@code httpstub/{name}} (an OpenAPI document, say), as
 *   JSON or YAML by its extension, with {@code @base@} replaced by this server's base URL, whatever the path before
 *   the name (so each test may count its own fetches);</li>
 *   <li>{@code /pets/findByStatus?status=S} and {@code /pets/{id}}: a pet store's pets with that status, and one
 *   pet (404 for an unknown id).</li>
 * </ul>
 * Every request's {@code Idempotency-Key} header is kept per path, and so is every request, headers and body.
 */
public final class HttpStub implements AutoCloseable {

    private static final java.util.List<String> PETS = java.util.List.of(
            "{\"id\":1,\"name\":\"doggie\",\"status\":\"available\"}",
            "{\"id\":2,\"name\":\"kitty\",\"status\":\"available\"}",
            "{\"id\":3,\"name\":\"nemo\",\"status\":\"sold\"}");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<String>> keys = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Received>> received = new ConcurrentHashMap<>();

    /**
     * A request as it arrived: its headers (names in lower case, first value) and its body.
     *
     * @param headers the request's headers
     * @param body the request's body, as sent
     */
    public record Received(Map<String, String> headers, byte[] body) {
    }

    /** The client the stub's OAuth2 token endpoint knows, and its secret. */
    public static final String OAUTH_CLIENT_ID = "stub-client";
    public static final String OAUTH_CLIENT_SECRET = "stub-client-secret";
    /** The stub's OAuth2 token endpoint; {@code ?expires=N} makes its tokens live N seconds. */
    public static final String OAUTH_TOKEN_PATH = "/oauth2/token";
    private static final String DIGEST_NONCE = "stub-nonce-7f3a";
    private final java.util.Set<String> issued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public HttpStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
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

    /** The Idempotency-Key headers a path was called with, in order (null for a call without one). */
    public java.util.List<String> idempotencyKeys(String path) {
        return java.util.List.copyOf(keys.getOrDefault(path, java.util.List.of()));
    }

    /** The requests a path has had, in order. */
    public java.util.List<Received> received(String path) {
        return java.util.List.copyOf(received.getOrDefault(path, java.util.List.of()));
    }

    /** Every path called so far. */
    public java.util.Set<String> paths() {
        return java.util.Set.copyOf(calls.keySet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        keys.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                .add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                values.get(0)));
        received.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                .add(new Received(Map.copyOf(headers), raw));
        String body = new String(raw, StandardCharsets.UTF_8);
        try {
            if (path.startsWith("/orders/")) {
                String id = path.substring("/orders/".length());
                json(exchange, 200, "{\"id\":" + quote(id) + ",\"status\":"
                        + quote(id.startsWith("s") ? "shipped" : "pending") + "}");
            } else if (path.startsWith("/flaky/")) {
                int failures = Integer.parseInt(param(query, "failures", "2"));
                json(exchange, call <= failures ? 503 : 200, call <= failures ? "{\"error\":\"try again\"}"
                        : "{\"ok\":true,\"calls\":" + call + "}");
            } else if (path.equals("/echo")) {
                json(exchange, 200, "{\"method\":" + quote(exchange.getRequestMethod()) + ",\"path\":" + quote(path)
                        + ",\"query\":" + quote(query)
                        + ",\"contentType\":" + quote(exchange.getRequestHeaders().getFirst("Content-Type"))
                        + ",\"token\":" + quote(exchange.getRequestHeaders().getFirst("X-Token"))
                        + ",\"body\":" + (body.isBlank() ? "null" : body) + "}");
            } else if (path.equals("/auth/basic") || path.equals("/auth/bearer")) {
                String expected = path.endsWith("basic") ? "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (param(query, "user", "") + ":" + param(query, "password", ""))
                                .getBytes(StandardCharsets.UTF_8)) : "Bearer " + param(query, "token", "");
                boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
                if (!ok) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", path.endsWith("basic") ? "Basic" : "Bearer");
                }
                json(exchange, ok ? 200 : 401, ok ? "{\"authenticated\":true}" : "{\"error\":\"unauthorized\"}");
            } else if (path.equals("/auth/digest")) {
                boolean ok = digestChecks(exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestMethod(), param(query, "user", ""), param(query, "password", ""));
                if (!ok) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Digest realm=\"stub\", nonce=\""
                            + DIGEST_NONCE + "\", qop=\"auth\", algorithm=MD5, opaque=\"stub-opaque\"");
                }
                json(exchange, ok ? 200 : 401, ok ? "{\"authenticated\":true}" : "{\"error\":\"unauthorized\"}");
            } else if (path.equals(OAUTH_TOKEN_PATH)) {
                tokenRequest(exchange, body, param(query, "expires", "3600"));
            } else if (path.equals("/.well-known/openid-configuration")) {
                json(exchange, 200, "{\"issuer\":" + quote(baseUrl()) + ",\"token_endpoint\":"
                        + quote(baseUrl() + OAUTH_TOKEN_PATH) + "}");
            } else if (path.equals("/auth/oauth")) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                boolean ok = authorization != null && issued.contains(authorization.replaceFirst("^Bearer ", ""));
                json(exchange, ok ? 200 : 401, ok ? "{\"authenticated\":true,\"echo\":" + quote(authorization)
                        + "}" : "{\"error\":\"invalid_token\"}");
            } else if (path.equals("/slow")) {
                Thread.sleep(Long.parseLong(param(query, "ms", "5000")));
                json(exchange, 200, "{\"slow\":true}");
            } else if (path.startsWith("/status/")) {
                int code = Integer.parseInt(path.substring("/status/".length()));
                json(exchange, code, "{\"code\":" + code + "}");
            } else if (path.startsWith("/ok/")) {
                json(exchange, 200, "{\"ok\":true,\"calls\":" + call + "}");
            } else if (path.equals("/v1/traces")) {
                // an OTLP/HTTP collector: an empty ExportTraceServiceResponse accepts the spans
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } else if (path.startsWith("/documents/")) {
                document(exchange, path.substring(path.lastIndexOf('/') + 1));
            } else if (path.equals("/pets/findByStatus")) {
                String status = param(query, "status", "available");
                json(exchange, 200, "[" + String.join(",", PETS.stream().filter(pet -> pet.contains(quote(status)))
                        .toList()) + "]");
            } else if (path.startsWith("/pets/")) {
                String id = "{\"id\":" + path.substring("/pets/".length()) + ",";
                String pet = PETS.stream().filter(p -> p.startsWith(id)).findFirst().orElse(null);
                json(exchange, pet == null ? 404 : 200, pet == null ? "{\"error\":\"no such pet\"}" : pet);
            } else if (path.equals("/text")) {
                send(exchange, 200, "text/plain", "hello");
            } else {
                json(exchange, 404, "{\"error\":\"no such path\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /**
     * An OAuth2 token endpoint: the client {@value #OAUTH_CLIENT_ID} with secret {@value #OAUTH_CLIENT_SECRET}, posted
     * or as basic, gets a new token for the client credentials or password grant, valid {@code expires} seconds.
     */
    private void tokenRequest(HttpExchange exchange, String body, String expires) throws IOException {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                form.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        boolean client = OAUTH_CLIENT_ID.equals(form.get("client_id"))
                && OAUTH_CLIENT_SECRET.equals(form.get("client_secret"))
                || ("Basic " + java.util.Base64.getEncoder().encodeToString((OAUTH_CLIENT_ID + ":"
                        + OAUTH_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8))).equals(basic);
        boolean grant = java.util.Set.of("client_credentials", "password").contains(form.get("grant_type"));
        if (!client || !grant) {
            json(exchange, client ? 400 : 401, client ? "{\"error\":\"unsupported_grant_type\"}"
                    : "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = "stub-token-" + java.util.UUID.randomUUID();
        issued.add(token);
        json(exchange, 200, "{\"access_token\":" + quote(token) + ",\"token_type\":\"Bearer\",\"expires_in\":"
                + Long.parseLong(expires) + ",\"scope\":" + quote(form.getOrDefault("scope", "")) + "}");
    }

    /** Whether a Digest answer (MD5, qop=auth, RFC 7616) to this stub's challenge holds for the credentials. */
    private static boolean digestChecks(String header, String method, String user, String password) {
        if (header == null || !header.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))")
                .matcher(header.substring(7));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String ha1 = md5(user + ":stub:" + password);
        String ha2 = md5(method + ":" + p.get("uri"));
        String expected = md5(ha1 + ":" + DIGEST_NONCE + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return user.equals(p.get("username")) && DIGEST_NONCE.equals(p.get("nonce")) && expected.equals(
                p.get("response")) && "stub-opaque".equals(p.get("opaque"));
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void document(HttpExchange exchange, String name) throws IOException {
        try (java.io.InputStream in = HttpStub.class.getClassLoader().getResourceAsStream("httpstub/" + name)) {
            if (in == null) {
                json(exchange, 404, "{\"error\":\"no such document\"}");
                return;
            }
            send(exchange, 200, name.endsWith(".json") ? "application/json" : "application/yaml",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@base@", baseUrl()));
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String quote(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
        executor.shutdownNow();
    }
}
