package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code switch}: the first case whose {@code when} holds (a case without one always does) says where to go. */
final class SwitchHandler implements TaskHandler<Task.SwitchTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.SwitchTask task, JsonNode input) {
        Flow flow = Flow.CONTINUE;
        for (Task.SwitchTask.Case c : task.cases()) {
            if (c.when() == null || step.test(fiber, c.when(), input, c.whenAt(), Map.of())) {
                flow = c.then();
                break;
            }
        }
        step.signal(fiber, new Signal.Return(input, flow));
    }
}
