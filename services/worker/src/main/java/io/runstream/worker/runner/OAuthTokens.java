package io.runstream.worker.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * OAuth2 and OpenID Connect access tokens for calls, requested with the client credentials or password grant from the
 * policy's authority (OpenID Connect: the token endpoint its discovery document names), through the runner's own
 * HTTP client and so its egress policy; cached per tenant and policy until shortly before they expire, and shared by
 * all the runner's calls: many calls make one token request. A token the API answers 401 to is forgotten.
 */
final class OAuthTokens {

    /** The most policies cached; past it the cache starts again rather than grow. */
    static final int MAX_CACHED = 1_000;
    /** How long before its expiry a token is requested again: this, or a tenth of its life if that is shorter. */
    static final Duration SKEW = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISCOVERY = "/.well-known/openid-configuration";

    private final HttpCaller http;
    private final Duration timeout;
    private final LongSupplier clock;
    private final Map<String, Mono<Token>> tokens = new ConcurrentHashMap<>();

    OAuthTokens(HttpCaller http, Duration timeout, LongSupplier clock) {
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** An access token, and when it is requested again (epoch millis). */
    record Token(String value, long refreshAt) {
    }

    /** The authority refused the token request, or could not be reached (status 503). */
    static final class Refused extends RuntimeException {

        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** A token for the tenant's call with this policy: the cached one while it is fresh. */
    Mono<Token> token(String tenant, SecretFill.OAuth oauth) {
        String key = key(tenant, oauth);
        if (tokens.size() >= MAX_CACHED) {
            tokens.clear();
        }
        return tokens.computeIfAbsent(key, k -> Mono.defer(() -> request(oauth))
                .cacheInvalidateIf(token -> clock.getAsLong() >= token.refreshAt()));
    }

    /** Forgets the token of this policy: the API refused it. */
    void forget(String tenant, SecretFill.OAuth oauth) {
        tokens.remove(key(tenant, oauth));
    }

    private Mono<Token> request(SecretFill.OAuth oauth) {
        JsonNode policy = oauth.policy();
        String authority = policy.path("authority").asText("");
        Mono<String> endpoint = "oidc".equals(oauth.kind()) ? discover(authority)
                : Mono.just(resolve(authority, policy.path("endpoints").path("token").asText("/oauth2/token")));
        return endpoint.flatMap(uri -> post(uri, policy));
    }

    private Mono<String> discover(String authority) {
        String uri = authority.endsWith(DISCOVERY) ? authority : resolve(authority, DISCOVERY);
        return exchange(new HttpCaller.HttpCall("GET", URI.create(uri), Map.of("Accept", "application/json"), null),
                "discovery document " + uri)
                .map(body -> {
                    String token = body.path("token_endpoint").asText(null);
                    if (token == null) {
                        throw new Refused(502, "discovery document " + uri + " names no token_endpoint");
                    }
                    return token;
                });
    }

    private Mono<Token> post(String uri, JsonNode policy) {
        JsonNode client = policy.path("client");
        String method = client.path("authentication").asText("client_secret_post");
        Map<String, List<String>> form = new LinkedHashMap<>();
        add(form, "grant_type", policy.path("grant").asText("client_credentials"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (method.equals("client_secret_basic")) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((encode(client.path("id")
                    .asText()) + ":" + encode(client.path("secret").asText())).getBytes(StandardCharsets.UTF_8)));
        } else {
            add(form, "client_id", client.path("id").asText(null));
            if (method.equals("client_secret_post")) {
                add(form, "client_secret", client.path("secret").asText(null));
            }
        }
        if ("password".equals(policy.path("grant").asText())) {
            add(form, "username", policy.path("username").asText(null));
            add(form, "password", policy.path("password").asText(null));
        }
        List<String> scopes = new ArrayList<>();
        policy.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        if (!scopes.isEmpty()) {
            add(form, "scope", String.join(" ", scopes));
        }
        policy.path("audiences").forEach(audience -> add(form, "audience", audience.asText()));
        byte[] body;
        if ("application/json".equals(policy.path("request").path("encoding").asText())) {
            ObjectNode json = JSON.createObjectNode();
            form.forEach((name, values) -> json.put(name, String.join(" ", values)));
            body = json.toString().getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", "application/json");
        } else {
            StringBuilder text = new StringBuilder();
            form.forEach((name, values) -> values.forEach(value -> text.append(text.isEmpty() ? "" : "&")
                    .append(encode(name)).append('=').append(encode(value))));
            body = text.toString().getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        long asked = clock.getAsLong();
        return exchange(new HttpCaller.HttpCall("POST", URI.create(uri), headers, body), "token request to " + uri)
                .map(answer -> {
                    String token = answer.path("access_token").asText(null);
                    if (token == null) {
                        throw new Refused(502, "token request to " + uri + " answered no access_token");
                    }
                    long life = answer.path("expires_in").asLong(300) * 1000;
                    return new Token(token, asked + life - Math.min(SKEW.toMillis(), life / 10));
                });
    }

    /** The JSON a request answers with, or {@link Refused} with its status. */
    private Mono<JsonNode> exchange(HttpCaller.HttpCall call, String what) {
        return Mono.defer(() -> http.exchange(call))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof Refused), e -> new Refused(503, what + " failed: " + e.getMessage()))
                .map(result -> {
                    if (result.status() < 200 || result.status() >= 300) {
                        String text = new String(result.body(), StandardCharsets.UTF_8).strip();
                        throw new Refused(result.status(), what + " answered " + result.status()
                                + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text)));
                    }
                    try {
                        return JSON.readTree(result.body());
                    } catch (java.io.IOException e) {
                        throw new Refused(502, what + " answered what is not JSON");
                    }
                });
    }

    private static String resolve(String authority, String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return path;
        }
        return (authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority)
                + (path.startsWith("/") ? path : "/" + path);
    }

    private static void add(Map<String, List<String>> form, String name, String value) {
        if (value != null) {
            form.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String key(String tenant, SecretFill.OAuth oauth) {
        try {
            return tenant + "|" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((oauth.kind() + oauth.policy()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
