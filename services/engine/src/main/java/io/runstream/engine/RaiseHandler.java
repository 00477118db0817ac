package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code raise}: throws the error it defines (inline, or one under {@code use.errors}), its fields evaluated. */
final class RaiseHandler implements TaskHandler<Task.RaiseTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.RaiseTask task, JsonNode input) {
        String at = task.at() + "/raise/error";
        JsonNode e = step.evaluateAll(fiber, task.error().get(), input, at, Map.of());
        step.signal(fiber, new Signal.Throw(new WorkflowError(e.path("type").asText(null),
                e.path("status").asInt(0), e.path("title").asText(null), e.path("detail").asText(null), task.at())));
    }
}
