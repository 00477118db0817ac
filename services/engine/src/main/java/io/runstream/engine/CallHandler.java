package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code call}: {@code http} runs as an activity (a fully resolved request a runner makes), and its response becomes
 * the task's output; any other function fails as not supported.
 */
final class CallHandler implements TaskHandler<Task.CallTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.CallTask task, JsonNode input) {
        if (!"http".equals(task.function())) {
            throw WorkflowError.unsupported(task.at(), "call: " + task.function());
        }
        step.dispatch(fiber, task.at(), HttpCalls.request(task.http(),
                (value, where) -> step.evaluateAll(fiber, value, input, where, Map.of()), input, task.at() + "/with",
                step.definition().source().path("use").path("authentications"), step::secretReference));
    }

    @Override
    public void activityReported(Step step, Fiber fiber, Task.CallTask task, Activity activity,
            HttpResponse response) {
        Frame.TaskFrame frame = (Frame.TaskFrame) fiber.top();
        step.replaceTop(fiber, frame.waitingOn(0));
        try {
            step.signal(fiber, new Signal.Return(HttpCalls.output(task.http(), activity.request(), response,
                    activity.at()), Flow.CONTINUE));
        } catch (WorkflowError e) {
            step.signal(fiber, new Signal.Throw(e));
        }
    }
}
