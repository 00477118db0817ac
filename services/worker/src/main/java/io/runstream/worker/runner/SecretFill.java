package io.runstream.worker.runner;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.api.secrets.SecretCipher;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.SecretReference;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fills the references to secrets in a call ({@link SecretReference}) with their values, when the call is made: in
 * the URI percent-encoded, in headers as text, in a JSON body as JSON (a string that is one reference becomes the
 * value itself), in any other body as text; a {@code basic} credential holding references is encoded once they are
 * filled. Only references whose MAC checks for the call's execution are filled, from the call's tenant only. What
 * was filled in is returned too, so that the response can be masked ({@link Masks}).
 */
final class SecretFill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final SecretLookup lookup;
    private final SecretCipher cipher;
    private final SecretTokens tokens;

    /** @param cipher opens the values; null when no secrets key is configured */
    SecretFill(SecretLookup lookup, SecretCipher cipher, SecretTokens tokens) {
        this.lookup = lookup;
        this.cipher = cipher;
        this.tokens = tokens;
    }

    /**
     * The request as it is sent, what it carries that a response must not show, and the credential the runner
     * still has to make for it (null for none).
     */
    record Filled(HttpRequest request, Masks masks, Credential credential) {
    }

    /** A credential made when the call is sent, as its policy asks. */
    sealed interface Credential {

        /**
         * Sends the request with the credential, through {@code send}; the response, and the credential made (for
         * the response to mask), or null.
         */
        Mono<Sent> send(HttpRequest request, Function<HttpRequest, Mono<HttpResponse>> send, String tenant,
                OAuthTokens tokens);

        /** Whether it makes requests of its own besides the call (a digest's challenge, a token's request). */
        default boolean sendsMore() {
            return true;
        }
    }

    /** A response, and the credential its request carried that it must not show (null for none). */
    record Sent(HttpResponse response, String credential) {
    }

    /** No credential beyond what the request carries. */
    record None() implements Credential {

        static final None INSTANCE = new None();

        @Override
        public boolean sendsMore() {
            return false;
        }

        @Override
        public Mono<Sent> send(HttpRequest request, Function<HttpRequest, Mono<HttpResponse>> send, String tenant,
                OAuthTokens tokens) {
            return send.apply(request).map(response -> new Sent(response, null));
        }
    }

    /** Digest: the answer to the callee's challenge, a second request with the same Idempotency-Key. */
    record Digest(String username, String password) implements Credential {

        @Override
        public Mono<Sent> send(HttpRequest request, Function<HttpRequest, Mono<HttpResponse>> send, String tenant,
                OAuthTokens tokens) {
            return send.apply(request).flatMap(response -> {
                DigestChallenge challenge = response.status() == 401
                        ? DigestChallenge.of(header(response, "WWW-Authenticate")) : null;
                return challenge == null ? Mono.just(response) : send.apply(request.withHeader("Authorization",
                        challenge.answer(request.method(), java.net.URI.create(request.uri()), username, password)));
            }).map(response -> new Sent(response, password));
        }

        private static String header(HttpResponse response, String name) {
            return response.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** OAuth2 or OpenID Connect: a token from the authority, cached; one the API answers 401 to is forgotten. */
    record OAuth(String kind, JsonNode policy) implements Credential {

        @Override
        public Mono<Sent> send(HttpRequest request, Function<HttpRequest, Mono<HttpResponse>> send, String tenant,
                OAuthTokens tokens) {
            return tokens.token(tenant, this).flatMap(token -> send.apply(request.withHeader("Authorization",
                    "Bearer " + token.value())).map(response -> {
                        if (response.status() == 401) {
                            tokens.forget(tenant, this);
                        }
                        return new Sent(response, token.value());
                    }));
        }
    }

    /** A secret a call names that cannot be filled in; the message names it, never a value. */
    static final class Unavailable extends RuntimeException {

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** The request with its references filled in; fails with {@link Unavailable}. */
    Mono<Filled> fill(HttpRequest request, String tenant, String executionId) {
        if (!mentions(request.uri()) && request.headers().values().stream().noneMatch(SecretFill::mentions)
                && !mentions(request.body())) {
            return Mono.just(new Filled(request, Masks.NONE, None.INSTANCE));
        }
        Set<SecretReference> references = new LinkedHashSet<>();
        Function<String, String> collect = text -> {
            referencesIn(text, executionId, references);
            return text;
        };
        collect.apply(request.uri());
        request.headers().values().forEach(value -> {
            collect.apply(value);
            Matcher credential = SecretReference.CREDENTIAL.matcher(value);
            if (credential.matches()) {
                collect.apply(new String(HEX.parseHex(credential.group(2)), StandardCharsets.UTF_8));
            }
        });
        collect.apply(request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8));
        Set<String> names = new LinkedHashSet<>();
        references.forEach(r -> names.add(r.secret()));
        return Flux.fromIterable(names)
                .concatMap(name -> lookup.find(tenant, name)
                        .switchIfEmpty(Mono.error(() -> new Unavailable("secret '" + name + "' is not set for "
                                + "this tenant (PUT /v1/secrets/" + name + ")")))
                        .map(sealed -> Map.entry(name, open(tenant, name, sealed))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(values -> filled(request, executionId, values));
    }

    private Filled filled(HttpRequest request, String executionId, Map<String, JsonNode> values) {
        Masks.Builder masks = new Masks.Builder();
        Function<SecretReference, JsonNode> value = reference -> {
            JsonNode at = values.get(reference.secret());
            for (String field : reference.path()) {
                at = at.get(field);
                if (at == null) {
                    throw new Unavailable("secret '" + reference.secret() + "' has no field '"
                            + String.join(".", reference.path()) + "'");
                }
            }
            masks.add(at);
            return at;
        };
        String uri = replace(request.uri(), executionId, r -> encode(text(r, value.apply(r))));
        Map<String, String> headers = new LinkedHashMap<>();
        Credential[] credential = {None.INSTANCE};
        request.headers().forEach((name, raw) -> {
            Matcher made = SecretReference.CREDENTIAL.matcher(raw);
            if (made.matches()) {
                String text = new String(HEX.parseHex(made.group(2)), StandardCharsets.UTF_8);
                switch (made.group(1)) {
                    case "basic" -> {
                        String pair = replace(text, executionId, r -> text(r, value.apply(r)));
                        String basic = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
                        masks.addText(basic);
                        headers.put(name, "Basic " + basic);
                    }
                    case "digest" -> {
                        String pair = replace(text, executionId, r -> text(r, value.apply(r)));
                        int colon = pair.indexOf(':');
                        credential[0] = new Digest(pair.substring(0, Math.max(colon, 0)), pair.substring(colon + 1));
                    }
                    default -> {
                        try {
                            JsonNode described = fillJson(JSON.readTree(text), executionId, value);
                            credential[0] = new OAuth(described.path("kind").asText(), described.path("policy"));
                        } catch (JacksonException e) {
                            throw new IllegalStateException("an OAuth2 credential that is not JSON", e);
                        }
                    }
                }
                return;
            }
            String header = replace(raw, executionId, r -> text(r, value.apply(r)));
            if (header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
                throw new Unavailable("a secret put in header '" + name + "' holds a line break");
            }
            headers.put(name, header);
        });
        byte[] body = request.body() == null ? null : body(request, executionId, value);
        return new Filled(new HttpRequest(request.method(), uri, headers, body), masks.build(), credential[0]);
    }

    private byte[] body(HttpRequest request, String executionId, Function<SecretReference, JsonNode> value) {
        String text = new String(request.body(), StandardCharsets.UTF_8);
        if (!mentions(text)) {
            return request.body();
        }
        boolean json = request.headers().entrySet().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("content-type") && h.getValue().contains("json"));
        if (json) {
            try {
                JsonNode tree = JSON.readTree(text);
                return JSON.writeValueAsBytes(fillJson(tree, executionId, value));
            } catch (JacksonException e) {
                // not JSON after all: filled as text below
            }
        }
        return replace(text, executionId, r -> text(r, value.apply(r))).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode fillJson(JsonNode node, String executionId, Function<SecretReference, JsonNode> value) {
        if (node.isTextual() && mentions(node.asText())) {
            Matcher whole = SecretReference.TOKEN.matcher(node.asText());
            if (whole.matches()) {
                SecretReference reference = SecretReference.ofPayload(whole.group(1));
                if (tokens.checks(executionId, reference, whole.group(2))) {
                    return value.apply(reference);
                }
            }
            return JSON.getNodeFactory().textNode(replace(node.asText(), executionId,
                    r -> text(r, value.apply(r))));
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> object.set(name, fillJson(object.get(name), executionId, value)));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fillJson(array.get(i), executionId, value));
            }
        }
        return node;
    }

    /** The text with each reference that checks replaced. */
    private String replace(String text, String executionId, Function<SecretReference, String> with) {
        if (!mentions(text)) {
            return text;
        }
        Matcher m = SecretReference.TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            SecretReference reference = SecretReference.ofPayload(m.group(1));
            String replacement = tokens.checks(executionId, reference, m.group(2)) ? with.apply(reference)
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void referencesIn(String text, String executionId, Set<SecretReference> into) {
        if (!mentions(text)) {
            return;
        }
        Matcher m = SecretReference.TOKEN.matcher(text);
        while (m.find()) {
            SecretReference reference = SecretReference.ofPayload(m.group(1));
            if (!tokens.configured()) {
                throw new Unavailable("secret '" + reference.secret() + "' cannot be filled in: this worker has no "
                        + "secrets key (runstream.worker.secrets.keys)");
            }
            if (tokens.checks(executionId, reference, m.group(2))) {
                into.add(reference);
            }
        }
    }

    private JsonNode open(String tenant, String name, SecretCipher.Sealed sealed) {
        if (cipher == null) {
            throw new Unavailable("secret '" + name + "' cannot be opened: this worker has no secrets key "
                    + "(runstream.worker.secrets.keys)");
        }
        try {
            return JSON.readTree(cipher.open(tenant, name, sealed));
        } catch (IllegalStateException e) {
            throw new Unavailable(e.getMessage());
        } catch (java.io.IOException e) {
            throw new Unavailable("secret '" + name + "' does not hold JSON");
        }
    }

    private static String text(SecretReference reference, JsonNode value) {
        if (value.isContainerNode() || value.isNull()) {
            throw new Unavailable("secret '" + reference.shown() + "' is " + (value.isNull() ? "null" : "an "
                    + (value.isObject() ? "object" : "array")) + ", which cannot be put in text: name one of its "
                    + "fields");
        }
        return value.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Whether a body holds a token's prefix, read as bytes: most bodies hold none, and are not made text for it. */
    private static boolean mentions(byte[] body) {
        if (body == null) {
            return false;
        }
        for (int i = 0; i + 6 <= body.length; i++) {
            if (body[i] == 'r' && body[i + 1] == 's' && (startsWith(body, i, "rsref_")
                    || startsWith(body, i, "rsbasic_") || startsWith(body, i, "rsdigest_")
                    || startsWith(body, i, "rsoauth2_"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] body, int at, String prefix) {
        if (at + prefix.length() > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (body[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean mentions(String text) {
        return text != null && (text.contains("rsref_") || text.contains("rsbasic_") || text.contains("rsdigest_")
                || text.contains("rsoauth2_"));
    }

    /** What a response must not show: each value filled in, as sent (raw, percent-encoded, in JSON). */
    static final class Masks {

        static final Masks NONE = new Masks(List.of());
        /** Shorter values are not masked: hiding every "a" or "1" of a response would garble it. */
        static final int MIN_LENGTH = 4;
        private static final byte[] HIDDEN = "***".getBytes(StandardCharsets.UTF_8);

        private final List<String> values;

        private Masks(List<String> values) {
            this.values = values;
        }

        boolean isEmpty() {
            return values.isEmpty();
        }

        /** These masks and one more value. */
        Masks and(String value) {
            if (value == null || value.length() < MIN_LENGTH) {
                return this;
            }
            List<String> more = new ArrayList<>(values);
            more.add(0, value);
            return new Masks(more);
        }

        String apply(String text) {
            if (text == null || values.isEmpty()) {
                return text;
            }
            for (String value : values) {
                text = text.replace(value, "***");
            }
            return text;
        }

        Map<String, String> apply(Map<String, String> headers) {
            if (values.isEmpty()) {
                return headers;
            }
            Map<String, String> out = new HashMap<>();
            headers.forEach((name, value) -> out.put(name, apply(value)));
            return out;
        }

        byte[] apply(byte[] body) {
            if (values.isEmpty() || body.length == 0) {
                return body;
            }
            for (String value : values) {
                body = replace(body, value.getBytes(StandardCharsets.UTF_8));
            }
            return body;
        }

        private static byte[] replace(byte[] body, byte[] value) {
            java.io.ByteArrayOutputStream out = null;
            int from = 0;
            for (int i = 0; i <= body.length - value.length; i++) {
                if (java.util.Arrays.equals(body, i, i + value.length, value, 0, value.length)) {
                    if (out == null) {
                        out = new java.io.ByteArrayOutputStream(body.length);
                    }
                    out.write(body, from, i - from);
                    out.writeBytes(HIDDEN);
                    i += value.length - 1;
                    from = i + 1;
                }
            }
            if (out == null) {
                return body;
            }
            out.write(body, from, body.length - from);
            return out.toByteArray();
        }

        /** Collects the values of one call. */
        static final class Builder {

            private final Set<String> values = new LinkedHashSet<>();

            void add(JsonNode value) {
                if (value.isValueNode() && !value.isNull()) {
                    addText(value.asText());
                } else if (value.isContainerNode()) {
                    value.forEach(this::add);
                }
            }

            void addText(String text) {
                if (text.length() < MIN_LENGTH) {
                    return;
                }
                values.add(text);
                values.add(encode(text));
                values.add(URLEncoder.encode(text, StandardCharsets.UTF_8));
                try {
                    String quoted = JSON.writeValueAsString(text);
                    values.add(quoted.substring(1, quoted.length() - 1));
                } catch (JacksonException e) {
                    throw new IllegalStateException(e);
                }
            }

            Masks build() {
                // the longest first, so a value inside another is not masked first and the longer one missed
                return new Masks(values.stream().sorted((a, b) -> b.length() - a.length()).toList());
            }
        }
    }
}
