package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An endpoint's {@code authentication}, inline or by name from {@code use.authentications}, as the
 * {@code Authorization} header of the request: {@code basic} and {@code digest} ({@code username} and
 * {@code password}), {@code bearer} ({@code token}), {@code oauth2} and {@code oidc} (the policy), each possibly from
 * runtime expressions, or from a secret of {@code use.secrets} ({@code basic: {use: name}}, whose value has the
 * scheme's fields). A credential from a secret stays a reference (see {@link SecretReference}) that the runner fills
 * in. What only the runner can make is handed to it as a {@link SecretReference#CREDENTIAL}: a basic credential
 * holding references, a digest one (it answers the callee's challenge) and an OAuth2 or OpenID Connect one (it
 * requests the token, and caches it). The certificate scheme is not run: the ingress refuses it when the definition
 * is stored, and a run that meets one fails as not supported.
 */
final class Authentications {

    private Authentications() {
    }

    /**
     * The header value for the policy, or null for none.
     *
     * @param named the definition's {@code use.authentications}
     * @param evaluate evaluates every expression in a value, given where it stands
     * @param reference the token of a reference to a secret
     */
    static String header(JsonNode policy, JsonNode named, BiFunction<JsonNode, String, JsonNode> evaluate,
            Function<SecretReference, String> reference, String at) {
        if (policy == null || policy.isNull() || policy.isMissingNode()) {
            return null;
        }
        String where = at;
        if (policy.path("use").isTextual() && policy.size() == 1) {
            String name = policy.path("use").asText();
            where = "/use/authentications/" + name;
            policy = named.path(name);
        }
        for (String kind : List.of("basic", "digest")) {
            if (policy.has(kind)) {
                String username;
                String password;
                String secret = policy.path(kind).path("use").asText(null);
                if (secret != null) {
                    username = reference.apply(new SecretReference(secret, List.of("username")));
                    password = reference.apply(new SecretReference(secret, List.of("password")));
                } else {
                    JsonNode credentials = evaluate.apply(policy.get(kind), where + "/" + kind);
                    username = credentials.path("username").asText();
                    password = credentials.path("password").asText();
                }
                String pair = username + ":" + password;
                if (kind.equals("digest") || SecretReference.within(pair)) {
                    return SecretReference.credential(kind, pair);
                }
                return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            }
        }
        for (String kind : List.of("oauth2", "oidc")) {
            if (policy.has(kind)) {
                String secret = policy.path(kind).path("use").asText(null);
                ObjectNode described = JsonNodeFactory.instance.objectNode().put("kind", kind);
                if (secret != null) {
                    // the secret holds the policy's properties: the runner puts them in place of the reference
                    described.put("policy", reference.apply(new SecretReference(secret, List.of())));
                } else {
                    described.set("policy", evaluate.apply(policy.get(kind), where + "/" + kind));
                }
                return SecretReference.credential("oauth2", described.toString());
            }
        }
        if (policy.has("bearer")) {
            String secret = policy.path("bearer").path("use").asText(null);
            return "Bearer " + (secret != null ? reference.apply(new SecretReference(secret, List.of("token")))
                    : evaluate.apply(policy.get("bearer"), where + "/bearer").path("token").asText());
        }
        String scheme = policy.properties().isEmpty() ? "?" : policy.properties().iterator().next().getKey();
        throw WorkflowError.unsupported(where, "Authentication '" + scheme + "'");
    }

    /** The scheme a credential is sent with, as {@code $authorization} shows it. */
    static String scheme(String kind) {
        return switch (kind) {
            case "basic" -> "Basic";
            case "digest" -> "Digest";
            default -> "Bearer";
        };
    }

    /**
     * {@code $authorization} of a call with this policy: its scheme, and its parameter hidden (the engine never has a
     * credential it would be safe to keep in the execution's data); null for none.
     */
    static JsonNode descriptor(JsonNode policy, JsonNode named) {
        if (policy == null || policy.isNull() || policy.isMissingNode()) {
            return null;
        }
        if (policy.path("use").isTextual() && policy.size() == 1) {
            policy = named.path(policy.path("use").asText());
        }
        String kind = policy.properties().isEmpty() ? "" : policy.properties().iterator().next().getKey();
        return JsonNodeFactory.instance.objectNode().put("scheme", scheme(kind)).put("parameter", "***");
    }

    /** A header value with its credential hidden, as a response's echo of the request shows it. */
    static String masked(String value) {
        java.util.regex.Matcher credential = SecretReference.CREDENTIAL.matcher(value);
        if (credential.matches()) {
            return scheme(credential.group(1)) + " ***";
        }
        int space = value.indexOf(' ');
        return (space < 0 ? "" : value.substring(0, space + 1)) + "***";
    }
}
