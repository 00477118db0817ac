package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code do}: runs its task list; the list's output is the task's. */
final class DoHandler implements TaskHandler<Task.DoTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.DoTask task, JsonNode input) {
        step.startList(fiber, task.body(), input);
    }
}
