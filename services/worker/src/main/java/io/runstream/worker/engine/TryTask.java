package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code try}/{@code catch}: an error that passes the catch's filter ({@code errors.with}, {@code when},
 * {@code exceptWhen}) is retried under the retry policy, if any, then handed to {@code catch.do} with the error in
 * {@code $error} (or the name given by {@code as}). A caught error with neither retry nor {@code do} is swallowed and
 * the task's input becomes its output; one whose retries run out with no {@code do} fails the task. Anything the
 * filter does not match goes up unchanged.
 */
final class TryTask {

    private final WorkflowInterpreter interpreter;
    private final Clock clock;
    private final Scheduler scheduler;

    TryTask(WorkflowInterpreter interpreter, Clock clock, Scheduler scheduler) {
        this.interpreter = interpreter;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    Mono<Outcome> run(JsonNode task, JsonNode input, Frame frame, AtomicInteger attempts) {
        Instant firstStarted = clock.instant();
        return attempt(1, task, input, frame, attempts, firstStarted);
    }

    private Mono<Outcome> attempt(int n, JsonNode task, JsonNode input, Frame frame, AtomicInteger attempts,
            Instant firstStarted) {
        attempts.set(n);
        return interpreter.runList(task.get("try"), input, frame.child("try"))
                .onErrorResume(failure -> handle(WorkflowError.of(failure, frame.at()), n, task, input, frame,
                        attempts, firstStarted));
    }

    private Mono<Outcome> handle(WorkflowError error, int n, JsonNode task, JsonNode input, Frame frame,
            AtomicInteger attempts, Instant firstStarted) {
        JsonNode handler = task.path("catch");
        String at = frame.at() + "/catch";
        Frame caught = frame.with(handler.path("as").asText("error"), error.toJson());
        if (!matches(handler.path("errors").path("with"), error)
                || handler.has("when") && !caught.test(handler.get("when"), input, at + "/when")
                || handler.has("exceptWhen") && caught.test(handler.get("exceptWhen"), input, at + "/exceptWhen")) {
            return Mono.error(error);
        }
        JsonNode retry = handler.get("retry");
        if (retry != null) {
            JsonNode policy = retry.isTextual() ? frame.run().component("retries", retry.asText(), at + "/retry")
                    : retry;
            if (applies(policy, caught, input, at + "/retry")) {
                Duration delay = nextDelay(policy, n, input, caught, firstStarted, at + "/retry");
                if (delay != null) {
                    return Mono.delay(delay, scheduler).then(Mono.defer(() -> attempt(n + 1, task, input, frame, attempts,
                            firstStarted)));
                }
                if (!handler.has("do")) {
                    return Mono.error(error);
                }
            }
        }
        if (handler.has("do")) {
            return interpreter.runList(handler.get("do"), input, caught.child("catch/do"));
        }
        return Mono.just(Outcome.next(input));
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

    private static boolean applies(JsonNode policy, Frame caught, JsonNode input, String at) {
        return !(policy.has("when") && !caught.test(policy.get("when"), input, at + "/when")
                || policy.has("exceptWhen") && caught.test(policy.get("exceptWhen"), input, at + "/exceptWhen"));
    }

    /**
     * The wait before retry {@code n} (after the n-th failed attempt), or null when the limits allow no more:
     * {@code limit.attempt.count} counts retries after the first attempt, {@code limit.duration} bounds the time
     * from the first attempt to the start of the next.
     */
    private Duration nextDelay(JsonNode policy, int n, JsonNode input, Frame frame, Instant firstStarted,
            String at) {
        JsonNode limit = policy.path("limit");
        JsonNode count = limit.path("attempt").get("count");
        if (count != null && n > count.asInt()) {
            return null;
        }
        Duration base = Durations.parse(policy.get("delay"), input, frame, at + "/delay");
        Duration delay = base == null ? Duration.ZERO : backoff(policy.path("backoff"), base, n);
        JsonNode jitter = policy.get("jitter");
        if (jitter != null) {
            long from = Durations.parse(jitter.get("from"), input, frame, at + "/jitter/from").toMillis();
            long to = Durations.parse(jitter.get("to"), input, frame, at + "/jitter/to").toMillis();
            delay = delay.plusMillis(to > from ? ThreadLocalRandom.current().nextLong(from, to + 1) : from);
        }
        Duration total = Durations.parse(limit.get("duration"), input, frame, at + "/limit/duration");
        if (total != null && Duration.between(firstStarted, clock.instant()).plus(delay).compareTo(total) > 0) {
            return null;
        }
        return delay;
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
