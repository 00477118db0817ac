package io.runstream.ingress.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.ingress.catalog.UnsupportedFeatureException;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, when a definition is stored, the tasks this version would otherwise accept and then fail on every run:
 * {@code run} of a process (shell, container and script, because definitions come from API users and running their
 * processes on a worker would hand them the worker; {@code run: workflow}, a subflow, is run) and every {@code call}
 * but {@code http} ({@code grpc}, {@code asyncapi}, {@code openapi}, or a function from {@code use.functions}), and
 * authentication other than {@code basic} and {@code bearer} with inline credentials.
 */
final class UnsupportedFeatures {

    /** Fields whose value is a task list: {@code do}, {@code try}, {@code branches} (fork), and catch's {@code do}. */
    private static final Set<String> TASK_LISTS = Set.of("do", "try", "branches");
    private static final Set<String> PROCESSES = Set.of("shell", "container", "script");
    private static final Set<String> AUTHENTICATIONS = Set.of("basic", "bearer");

    private UnsupportedFeatures() {
    }

    static void check(JsonNode definition) {
        definition.path("use").path("authentications").properties().forEach(named -> authentication(
                named.getValue(), "/use/authentications/" + named.getKey()));
        walk(definition, "");
    }

    /**
     * An authentication policy: {@code basic} and {@code bearer}, with their credentials given or from a secret, and
     * a {@code use} of a named policy are run; the other schemes are not yet.
     */
    private static void authentication(JsonNode policy, String path) {
        if (!policy.isObject() || policy.size() == 1 && policy.has("use")) {
            return;
        }
        for (Map.Entry<String, JsonNode> scheme : policy.properties()) {
            String at = path + "/" + scheme.getKey();
            if (!AUTHENTICATIONS.contains(scheme.getKey())) {
                throw new UnsupportedFeatureException("Authentication at " + at + " uses '" + scheme.getKey()
                        + "', which this version of Runstream does not support yet (it runs basic and bearer)");
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
                if (call != null && call.isTextual() && !call.asText().equals("http")) {
                    throw new UnsupportedFeatureException("Task at " + taskPath + "/call uses 'call: "
                            + call.asText() + "', which this version of Runstream does not support yet (it runs "
                            + "'call: http')");
                }
                walk(task.getValue(), taskPath);
            }
        }
    }
}
