package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code set}: the task's output is its value, with every expression in it evaluated. */
final class SetHandler implements TaskHandler<Task.SetTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.SetTask task, JsonNode input) {
        step.signal(fiber, new Signal.Return(step.transform(fiber, task.value(), input, input, task.at() + "/set"),
                Flow.CONTINUE));
    }
}
