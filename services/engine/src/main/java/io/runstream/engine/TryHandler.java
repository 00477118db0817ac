package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * {@code try}/{@code catch}: an error that passes the catch's filter ({@code errors.with}, {@code when},
 * {@code exceptWhen}) is retried under the retry policy, if any, after a durable timer, then handed to
 * {@code catch.do} with the error in {@code $error} (or the name given by {@code as}). A caught error with neither
 * retry nor {@code do} is swallowed and the task's input becomes its output; one whose retries run out with no
 * {@code do} fails the task. Anything the filter does not match goes up unchanged.
 */
final class TryHandler implements TaskHandler<Task.TryTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.TryTask task, JsonNode input) {
        step.push(fiber, new Frame.TryFrame(task.at(), 1, step.now(), 0));
        step.startList(fiber, task.body(), input);
    }

    /** The try body, or the catch's {@code do}, completed: the try task completes with it. */
    @Override
    public void returned(Step step, Fiber fiber, Task.TryTask task, Frame frame, JsonNode output, Flow flow) {
        step.pop(fiber);
        step.signal(fiber, new Signal.Return(output, flow));
    }

    @Override
    public void threw(Step step, Fiber fiber, Task.TryTask task, Frame frame, WorkflowError error) {
        if (frame instanceof Frame.TryFrame attempt) {
            caught(step, fiber, task, attempt, error);
        } else {
            // an error in catch.do goes up
            TaskHandler.super.threw(step, fiber, task, frame, error);
        }
    }

    /** The retry delay is over: the next attempt of the try body. */
    @Override
    public void timerFired(Step step, Fiber fiber, Task.TryTask task, Timer timer) {
        Frame.TryFrame frame = (Frame.TryFrame) step.pop(fiber);
        int attempt = frame.attempt() + 1;
        Frame.TaskFrame taskFrame = ((Frame.TaskFrame) fiber.top()).withAttempts(attempt);
        step.replaceTop(fiber, taskFrame);
        step.push(fiber, new Frame.TryFrame(frame.at(), attempt, frame.firstStartedAt(), 0));
        step.startList(fiber, task.body(), taskFrame.input());
    }

    @Override
    public void cancelled(Step step, Frame frame) {
        if (frame instanceof Frame.TryFrame attempt) {
            step.cancelTimer(attempt.retryTimer());
        }
    }

    private void caught(Step step, Fiber fiber, Task.TryTask task, Frame.TryFrame frame, WorkflowError error) {
        step.pop(fiber);
        Task.TryTask.Catch handler = task.handler();
        JsonNode input = ((Frame.TaskFrame) fiber.top()).input();
        String at = frame.at() + "/catch";
        Map<String, JsonNode> caught = Map.of(handler.as(), error.toJson());
        if (!matches(handler.errorsWith(), error)
                || handler.when() != null && !step.test(fiber, handler.when(), input, at + "/when", caught)
                || handler.exceptWhen() != null
                && step.test(fiber, handler.exceptWhen(), input, at + "/exceptWhen", caught)) {
            step.signal(fiber, new Signal.Throw(error));
            return;
        }
        if (handler.retry() != null) {
            RetryPolicy policy = handler.retryPolicy();
            if (applies(step, fiber, policy, caught, input, at + "/retry")) {
                Duration delay = nextDelay(step, fiber, policy, frame, input, caught, at + "/retry");
                if (delay != null) {
                    long timer = step.schedule(delay, Timer.Kind.RETRY, fiber.id);
                    step.push(fiber, new Frame.TryFrame(frame.at(), frame.attempt(), frame.firstStartedAt(), timer));
                    return;
                }
                if (handler.body() == null) {
                    step.signal(fiber, new Signal.Throw(error));
                    return;
                }
            }
        }
        if (handler.body() != null) {
            step.push(fiber, new Frame.CatchFrame(frame.at(), error.toJson()));
            step.startList(fiber, handler.body(), input);
            return;
        }
        step.signal(fiber, new Signal.Return(input, Flow.CONTINUE));
    }

    /**
     * {@code errors.with}: every property given must equal the error's; a {@code type} of the spec's own errors
     * matches in any spelling of their URI in use ({@link ErrorTypes}).
     */
    private static boolean matches(Map<String, String> filter, WorkflowError error) {
        JsonNode actual = error.toJson();
        for (Map.Entry<String, String> property : filter.entrySet()) {
            JsonNode value = actual.get(property.getKey());
            if (value == null || !(property.getKey().equals("type")
                    ? ErrorTypes.same(value.asText(), property.getValue())
                    : value.asText().equals(property.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean applies(Step step, Fiber fiber, RetryPolicy policy, Map<String, JsonNode> caught,
            JsonNode input, String at) {
        return !(policy.when() != null && !step.test(fiber, policy.when(), input, at + "/when", caught)
                || policy.exceptWhen() != null
                && step.test(fiber, policy.exceptWhen(), input, at + "/exceptWhen", caught));
    }

    /**
     * The wait before the next attempt, or null when the limits allow no more: {@code limit.attempt.count} counts
     * retries after the first attempt, {@code limit.duration} bounds the time from the first attempt to the start of
     * the next.
     */
    private static Duration nextDelay(Step step, Fiber fiber, RetryPolicy policy, Frame.TryFrame frame,
            JsonNode input, Map<String, JsonNode> caught, String at) {
        int n = frame.attempt();
        if (policy.attemptCount() != null && n > policy.attemptCount()) {
            return null;
        }
        Duration base = step.duration(fiber, policy.delay(), input, at + "/delay", caught);
        Duration delay = base == null ? Duration.ZERO : policy.backoff().apply(base, n);
        if (policy.hasJitter()) {
            long from = millis(step.duration(fiber, policy.jitterFrom(), input, at + "/jitter/from", caught));
            long to = millis(step.duration(fiber, policy.jitterTo(), input, at + "/jitter/to", caught));
            delay = delay.plusMillis(step.draw(from, to));
        }
        Duration total = step.duration(fiber, policy.limitDuration(), input, at + "/limit/duration", caught);
        if (total != null && Duration.between(frame.firstStartedAt(), step.now()).plus(delay).compareTo(total) > 0) {
            return null;
        }
        return delay;
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }

}
