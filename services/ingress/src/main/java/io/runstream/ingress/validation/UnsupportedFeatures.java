package io.runstream.ingress.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.ingress.catalog.UnsupportedFeatureException;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, when a definition is stored, the tasks this version would otherwise accept and then fail on every run:
 * {@code run} of a process (shell, container and script, because definitions come from API users and running their
 * processes on a worker would hand them the worker; {@code run: workflow}, a subflow, is run) and every {@code call}
 * but {@code http} and {@code openapi} ({@code grpc}, {@code asyncapi}, or a function from {@code use.functions}), and
 * authentication schemes, grants and client authentications that are not run (see {@link #authentication}).
 */
final class UnsupportedFeatures {

    /** Fields whose value is a task list: {@code do}, {@code try}, {@code branches} (fork), and catch's {@code do}. */
    private static final Set<String> TASK_LISTS = Set.of("do", "try", "branches");
    private static final Set<String> PROCESSES = Set.of("shell", "container", "script");
    private static final Set<String> AUTHENTICATIONS = Set.of("basic", "bearer", "digest", "oauth2", "oidc");
    /** The OAuth2 and OpenID Connect grants a runner requests tokens with: no user is there to sign in. */
    private static final Set<String> GRANTS = Set.of("client_credentials", "password");
    private static final Set<String> CLIENT_AUTHENTICATIONS = Set.of("client_secret_post", "client_secret_basic",
            "none");
    private static final Set<String> CALLS = Set.of("http", "openapi");

    private UnsupportedFeatures() {
    }

    static void check(JsonNode definition) {
        definition.path("use").path("authentications").properties().forEach(named -> authentication(
                named.getValue(), "/use/authentications/" + named.getKey()));
        walk(definition, "");
    }

    /**
     * An authentication policy: {@code basic}, {@code bearer}, {@code digest}, and {@code oauth2} and {@code oidc} with
     * the client credentials or password grant and the client's secret posted or sent as basic, with credentials
     * given or from a secret, and a {@code use} of a named policy are run; {@code certificate}, the other grants and
     * the JWT client authentications are not yet.
     */
    private static void authentication(JsonNode policy, String path) {
        if (!policy.isObject() || policy.size() == 1 && policy.has("use")) {
            return;
        }
        for (Map.Entry<String, JsonNode> scheme : policy.properties()) {
            String at = path + "/" + scheme.getKey();
            if (!AUTHENTICATIONS.contains(scheme.getKey())) {
                throw new UnsupportedFeatureException("Authentication at " + at + " uses '" + scheme.getKey()
                        + "', which this version of Runstream does not support yet (it runs basic, bearer, digest, oauth2 "
                        + "and oidc)");
            }
            JsonNode grant = scheme.getValue().get("grant");
            if (grant != null && grant.isTextual() && !GRANTS.contains(grant.asText())) {
                throw new UnsupportedFeatureException("Authentication at " + at + "/grant uses grant '"
                        + grant.asText() + "', which this version of Runstream does not support yet (it runs "
                        + "client_credentials and password)");
            }
            JsonNode client = scheme.getValue().path("client").get("authentication");
            if (client != null && client.isTextual() && !CLIENT_AUTHENTICATIONS.contains(client.asText())) {
                throw new UnsupportedFeatureException("Authentication at " + at + "/client/authentication uses '"
                        + client.asText() + "', which this version of Runstream does not support yet (it runs "
                        + "client_secret_post, client_secret_basic and none)");
            }
        }
    }

    private static void walk(JsonNode node, String path) {
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldPath = path + "/" + field.getKey();
            if (field.getKey().equals("authentication") && (path.endsWith("/endpoint") || path.endsWith("/document"))) {
                authentication(field.getValue(), fieldPath);
            } else if (TASK_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
                checkTaskList(field.getValue(), fieldPath);
            } else {
                walk(field.getValue(), fieldPath);
            }
        }
    }

    private static void checkTaskList(JsonNode tasks, String path) {
        for (int i = 0; i < tasks.size(); i++) {
            for (Map.Entry<String, JsonNode> task : tasks.get(i).properties()) {
                String taskPath = path + "/" + i + "/" + task.getKey();
                JsonNode run = task.getValue().get("run");
                if (run != null && !run.has("workflow")) {
                    String process = run.isObject() && run.properties().iterator().hasNext()
                            ? run.properties().iterator().next().getKey() : "?";
                    throw new UnsupportedFeatureException("Task at " + taskPath + "/run uses 'run: " + process + "', "
                            + (PROCESSES.contains(process) ? "which Runstream refuses: shell, container and script "
                            + "processes cannot be run from API definitions" : "which this version of Runstream "
                            + "does not support yet"));
                }
                JsonNode call = task.getValue().get("call");
                if (call != null && call.isTextual() && !CALLS.contains(call.asText())) {
                    throw new UnsupportedFeatureException("Task at " + taskPath + "/call uses 'call: "
                            + call.asText() + "', which this version of Runstream does not support yet (it runs "
                            + "'call: http' and 'call: openapi')");
                }
                JsonNode callAuthentication = task.getValue().path("with").get("authentication");
                if (call != null && "openapi".equals(call.asText()) && callAuthentication != null) {
                    // an OpenAPI call's own authentication stands in its with, not under an endpoint
                    authentication(callAuthentication, taskPath + "/with/authentication");
                }
                walk(task.getValue(), taskPath);
            }
        }
    }
}
