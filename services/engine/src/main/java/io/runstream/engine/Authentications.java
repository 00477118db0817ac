package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An endpoint's {@code authentication}, inline or by name from {@code use.authentications}, as the
 * {@code Authorization} header of the request: {@code basic} ({@code username} and {@code password}) and
 * {@code bearer} ({@code token}), each possibly from runtime expressions, or from a secret of {@code use.secrets}
 * ({@code basic: {use: name}}, whose value has those fields). A credential from a secret stays a reference (see
 * {@link SecretReference}) that the runner fills in; a basic one holding references is encoded by the runner too.
 * The other schemes (digest, OAuth2, OpenID Connect, certificate) are not run yet: the ingress refuses them when the
 * definition is stored, and a run that meets one fails as not supported.
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
        if (policy.has("basic")) {
            String username;
            String password;
            String secret = policy.path("basic").path("use").asText(null);
            if (secret != null) {
                username = reference.apply(new SecretReference(secret, List.of("username")));
                password = reference.apply(new SecretReference(secret, List.of("password")));
            } else {
                JsonNode basic = evaluate.apply(policy.get("basic"), where + "/basic");
                username = basic.path("username").asText();
                password = basic.path("password").asText();
            }
            if (SecretReference.within(username) || SecretReference.within(password)) {
                return SecretReference.basic(username, password);
            }
            String pair = username + ":" + password;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        if (policy.has("bearer")) {
            String secret = policy.path("bearer").path("use").asText(null);
            return "Bearer " + (secret != null ? reference.apply(new SecretReference(secret, List.of("token")))
                    : evaluate.apply(policy.get("bearer"), where + "/bearer").path("token").asText());
        }
        String scheme = policy.properties().isEmpty() ? "?" : policy.properties().iterator().next().getKey();
        throw WorkflowError.unsupported(where, "Authentication '" + scheme + "'");
    }

    /** A header value with its credential hidden, as a response's echo of the request shows it. */
    static String masked(String value) {
        if (SecretReference.BASIC.matcher(value).matches()) {
            return "Basic ***";
        }
        int space = value.indexOf(' ');
        return (space < 0 ? "" : value.substring(0, space + 1)) + "***";
    }
}
