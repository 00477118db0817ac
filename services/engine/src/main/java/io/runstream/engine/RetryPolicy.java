package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A {@code catch.retry} policy, typed: when it applies, the delay and how it grows, the jitter, and its limits. The
 * durations stay as written (a duration may be an expression), evaluated when a retry is due.
 *
 * @param attemptCount retries after the first attempt ({@code limit.attempt.count}); null for no bound
 */
record RetryPolicy(String when, String exceptWhen, JsonNode delay, Backoff backoff, JsonNode jitterFrom,
        JsonNode jitterTo, Integer attemptCount, JsonNode limitDuration) {

    /** How the delay grows with the attempt number {@code n} (1 for the first retry). */
    enum Backoff {
        CONSTANT, LINEAR, EXPONENTIAL;

        Duration apply(Duration base, int n) {
            return switch (this) {
                case CONSTANT -> base;
                case LINEAR -> base.multipliedBy(n);
                case EXPONENTIAL -> base.multipliedBy(1L << Math.min(n - 1, 30));
            };
        }
    }

    static RetryPolicy of(JsonNode policy) {
        JsonNode backoff = policy.path("backoff");
        JsonNode jitter = policy.path("jitter");
        JsonNode count = policy.path("limit").path("attempt").get("count");
        return new RetryPolicy(text(policy.get("when")), text(policy.get("exceptWhen")), policy.get("delay"),
                backoff.has("exponential") ? Backoff.EXPONENTIAL
                        : backoff.has("linear") ? Backoff.LINEAR : Backoff.CONSTANT,
                jitter.isMissingNode() ? null : jitter.get("from"), jitter.isMissingNode() ? null : jitter.get("to"),
                count == null ? null : count.asInt(), policy.path("limit").get("duration"));
    }

    boolean hasJitter() {
        return jitterFrom != null || jitterTo != null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
