package io.runstream.ingress.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.ingress.catalog.InvalidDefinitionException;
import java.util.Map;
import java.util.Set;

/**
 * Refuses {@code run} tasks (shell, container, script, workflow): definitions come from API users, and running
 * their processes on a worker would hand them the worker.
 */
final class RunTaskGuard {

    /** Fields whose value is a task list: {@code do}, {@code try}, {@code branches} (fork), and catch's {@code do}. */
    private static final Set<String> TASK_LISTS = Set.of("do", "try", "branches");

    private RunTaskGuard() {
    }

    static void check(JsonNode definition) {
        walk(definition, "");
    }

    private static void walk(JsonNode node, String path) {
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldPath = path + "/" + field.getKey();
            if (TASK_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
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
                if (task.getValue().has("run")) {
                    throw new InvalidDefinitionException("Task at " + taskPath + " uses 'run', which Runstream "
                            + "refuses: shell, container, script and workflow processes cannot be run from API "
                            + "definitions");
                }
                walk(task.getValue(), taskPath);
            }
        }
    }
}
