package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code wait}: a durable timer; when it comes due the task returns its input. */
final class WaitHandler implements TaskHandler<Task.WaitTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.WaitTask task, JsonNode input) {
        long timer = step.schedule(step.duration(fiber, task.duration(), input, task.at() + "/wait", Map.of()),
                Timer.Kind.WAIT, fiber.id);
        step.replaceTop(fiber, ((Frame.TaskFrame) fiber.top()).waitingOn(timer));
    }

    @Override
    public void timerFired(Step step, Fiber fiber, Task.WaitTask task, Timer timer) {
        Frame.TaskFrame frame = (Frame.TaskFrame) fiber.top();
        step.replaceTop(fiber, frame.waitingOn(0));
        step.signal(fiber, new Signal.Return(frame.input(), Flow.CONTINUE));
    }
}
