package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code call}: {@code http} and {@code openapi} each run as one activity (a request a runner makes, fully resolved
 * for http, and read from the document for openapi), and the response becomes the task's output; any other function
 * fails as not supported.
 */
final class CallHandler implements TaskHandler<Task.CallTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.CallTask task, JsonNode input) {
        java.util.function.BiFunction<JsonNode, String, JsonNode> evaluate =
                (value, where) -> step.evaluateAll(fiber, value, input, where, Map.of());
        JsonNode authentications = step.definition().source().path("use").path("authentications");
        HttpRequest request = switch (task.function()) {
            case "http" -> HttpCalls.request(task.http(), evaluate, input, task.at() + "/with", authentications,
                    step::secretReference);
            case "openapi" -> OpenApiCalls.request(task.openApi(), evaluate, input, task.at() + "/with",
                    authentications, step::secretReference);
            default -> throw WorkflowError.unsupported(task.at(), "call: " + task.function());
        };
        step.dispatch(fiber, task.at(), request);
    }

    @Override
    public void activityReported(Step step, Fiber fiber, Task.CallTask task, Activity activity,
            HttpResponse response) {
        Frame.TaskFrame frame = (Frame.TaskFrame) fiber.top();
        step.replaceTop(fiber, frame.waitingOn(0));
        try {
            JsonNode output = task.openApi() != null
                    ? OpenApiCalls.output(task.openApi(), activity.request(), response, activity.at())
                    : HttpCalls.output(task.http(), activity.request(), response, activity.at());
            step.signal(fiber, new Signal.Return(output, Flow.CONTINUE));
        } catch (WorkflowError e) {
            step.signal(fiber, new Signal.Throw(e));
        }
    }
}
