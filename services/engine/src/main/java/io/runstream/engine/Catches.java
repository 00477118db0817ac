package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.Frame.TryFrame;
import io.runstream.engine.Signal.Return;
import io.runstream.engine.Signal.Throw;
import java.time.Duration;
import java.util.Map;

/**
 * {@code try}/{@code catch}: an error that passes the catch's filter ({@code errors.with}, {@code when},
 * {@code exceptWhen}) is retried under the retry policy, if any, after a durable timer, then handed to
 * {@code catch.do} with the error in {@code $error} (or the name given by {@code as}). A caught error with neither
 * retry nor {@code do} is swallowed and the task's input becomes its output; one whose retries run out with no
 * {@code do} fails the task. Anything the filter does not match goes up unchanged.
 */
final class Catches {

    private final Turn turn;

    Catches(Turn turn) {
        this.turn = turn;
    }

    void caught(Fiber fiber, TryFrame frame, WorkflowError error) {
        fiber.pop();
        Task.TryTask task = (Task.TryTask) turn.definition.task(frame.at());
        Task.TryTask.Catch handler = task.handler();
        JsonNode input = ((TaskFrame) fiber.top()).input();
        String at = frame.at() + "/catch";
        Map<String, JsonNode> caught = Map.of(handler.as(), error.toJson());
        if (!matches(handler.errorsWith(), error)
                || handler.when() != null && !turn.test(fiber, handler.when(), input, at + "/when", caught)
                || handler.exceptWhen() != null
                && turn.test(fiber, handler.exceptWhen(), input, at + "/exceptWhen", caught)) {
            fiber.next = new Throw(error);
            return;
        }
        if (handler.retry() != null) {
            JsonNode policy = handler.retry().isTextual()
                    ? turn.definition.component("retries", handler.retry().asText(), at + "/retry") : handler.retry();
            if (applies(fiber, policy, caught, input, at + "/retry")) {
                Duration delay = nextDelay(fiber, policy, frame, input, caught, at + "/retry");
                if (delay != null) {
                    long timer = turn.schedule(delay, Timer.Kind.RETRY, fiber.id);
                    fiber.push(new TryFrame(frame.at(), frame.attempt(), frame.firstStartedAt(), timer));
                    return;
                }
                if (handler.body() == null) {
                    fiber.next = new Throw(error);
                    return;
                }
            }
        }
        if (handler.body() != null) {
            fiber.push(new Frame.CatchFrame(frame.at(), error.toJson()));
            turn.startList(fiber, handler.body(), input);
            return;
        }
        fiber.next = new Return(input, Flow.CONTINUE);
    }

    /** The retry delay is over: the next attempt of the try body. */
    void retry(Fiber fiber, TryFrame frame) {
        fiber.pop();
        int attempt = frame.attempt() + 1;
        TaskFrame task = ((TaskFrame) fiber.top()).withAttempts(attempt);
        fiber.replaceTop(task);
        fiber.push(new TryFrame(frame.at(), attempt, frame.firstStartedAt(), 0));
        turn.startList(fiber, ((Task.TryTask) turn.definition.task(frame.at())).body(), task.input());
    }

    /** {@code errors.with}: every property given must equal the error's. */
    private static boolean matches(JsonNode filter, WorkflowError error) {
        JsonNode actual = error.toJson();
        for (Map.Entry<String, JsonNode> property : filter.properties()) {
            JsonNode value = actual.get(property.getKey());
            if (value == null || !value.asText().equals(property.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private boolean applies(Fiber fiber, JsonNode policy, Map<String, JsonNode> caught, JsonNode input, String at) {
        return !(policy.has("when") && !turn.test(fiber, policy.get("when").asText(), input, at + "/when", caught)
                || policy.has("exceptWhen")
                && turn.test(fiber, policy.get("exceptWhen").asText(), input, at + "/exceptWhen", caught));
    }

    /**
     * The wait before the next attempt, or null when the limits allow no more: {@code limit.attempt.count} counts
     * retries after the first attempt, {@code limit.duration} bounds the time from the first attempt to the start of
     * the next.
     */
    private Duration nextDelay(Fiber fiber, JsonNode policy, TryFrame frame, JsonNode input,
            Map<String, JsonNode> caught, String at) {
        int n = frame.attempt();
        JsonNode limit = policy.path("limit");
        JsonNode count = limit.path("attempt").get("count");
        if (count != null && n > count.asInt()) {
            return null;
        }
        Duration base = turn.duration(fiber, policy.get("delay"), input, at + "/delay", caught);
        Duration delay = base == null ? Duration.ZERO : backoff(policy.path("backoff"), base, n);
        JsonNode jitter = policy.get("jitter");
        if (jitter != null) {
            long from = millis(turn.duration(fiber, jitter.get("from"), input, at + "/jitter/from", caught));
            long to = millis(turn.duration(fiber, jitter.get("to"), input, at + "/jitter/to", caught));
            delay = delay.plusMillis(turn.draw(from, to));
        }
        Duration total = turn.duration(fiber, limit.get("duration"), input, at + "/limit/duration", caught);
        if (total != null && Duration.between(frame.firstStartedAt(), turn.now).plus(delay).compareTo(total) > 0) {
            return null;
        }
        return delay;
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }

    private static Duration backoff(JsonNode backoff, Duration base, int n) {
        if (backoff.has("exponential")) {
            return base.multipliedBy(1L << Math.min(n - 1, 30));
        }
        if (backoff.has("linear")) {
            return base.multipliedBy(n);
        }
        return base;
    }
}
