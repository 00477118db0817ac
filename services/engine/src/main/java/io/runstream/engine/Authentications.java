package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiFunction;

/**
 * An endpoint's {@code authentication}, inline or by name from {@code use.authentications}, as the
 * {@code Authorization} header of the request: {@code basic} ({@code username} and {@code password}) and
 * {@code bearer} ({@code token}), each possibly from runtime expressions. Credentials from secrets ({@code use}
 * inside a scheme) and the other schemes (digest, OAuth2, OpenID Connect, certificate) are not run yet: the
 * ingress refuses them when the definition is stored, and a run that meets one fails as not supported.
 */
final class Authentications {

    private Authentications() {
    }

    /**
     * The header value for the policy, or null for none.
     *
     * @param named the definition's {@code use.authentications}
     * @param evaluate evaluates every expression in a value, given where it stands
     */
    static String header(JsonNode policy, JsonNode named, BiFunction<JsonNode, String, JsonNode> evaluate,
            String at) {
        if (policy == null || policy.isNull() || policy.isMissingNode()) {
            return null;
        }
        String where = at;
        if (policy.path("use").isTextual() && policy.size() == 1) {
            String name = policy.path("use").asText();
            where = "/use/authentications/" + name;
            policy = named.path(name);
        }
        if (policy.has("basic") && !policy.path("basic").has("use")) {
            JsonNode basic = evaluate.apply(policy.get("basic"), where + "/basic");
            String pair = basic.path("username").asText() + ":" + basic.path("password").asText();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        if (policy.has("bearer") && !policy.path("bearer").has("use")) {
            return "Bearer " + evaluate.apply(policy.get("bearer"), where + "/bearer").path("token").asText();
        }
        String scheme = policy.properties().isEmpty() ? "?" : policy.properties().iterator().next().getKey();
        throw WorkflowError.unsupported(where, "Authentication '" + scheme + "'"
                + (policy.path(scheme).has("use") ? " from a secret" : ""));
    }

    /** A header value with its credential hidden, as a response's echo of the request shows it. */
    static String masked(String value) {
        int space = value.indexOf(' ');
        return (space < 0 ? "" : value.substring(0, space + 1)) + "***";
    }
}
