package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** A task of a kind this version does not run ({@code run}, or none it knows). */
final class UnsupportedHandler implements TaskHandler<Task.UnsupportedTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.UnsupportedTask task, JsonNode input) {
        throw WorkflowError.unsupported(task.at(), "unknown".equals(task.type()) ? "A task without a known type"
                : "The '" + task.type() + "' task");
    }
}
