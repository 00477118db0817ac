package io.runstream.projection.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether each of the projection's listeners is moving on: a listener whose batches have failed, and are retried,
 * for longer than {@code stuckAfter} makes this DOWN (the {@code consumers} health component), so a view that has
 * stopped following its topic shows on the health endpoint instead of silently falling behind. The first failure
 * of a run of them is logged with its cause, then one line a minute while it lasts.
 */
public final class ConsumerHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(ConsumerHealth.class);
    private static final Duration REPEAT_LOG = Duration.ofMinutes(1);

    private final Clock clock;
    private final Duration stuckAfter;
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    public ConsumerHealth(Clock clock, Duration stuckAfter) {
        this.clock = clock;
        this.stuckAfter = stuckAfter;
    }

    /** A batch of the topic was applied: the listener moves on. */
    void applied(String topic) {
        Failing ended = failing.remove(topic);
        if (ended != null) {
            log.info("Records of {} are applied again, after failing for {} s ({} attempts)", topic,
                    Duration.between(ended.since(), clock.instant()).toSeconds(), ended.attempts());
        }
    }

    /** A delivery of the topic's records failed and will be tried again. */
    public void failed(String topic, Throwable cause) {
        Instant now = clock.instant();
        Failing before = failing.get(topic);
        Failing next = before == null ? new Failing(now, now, 1, describe(cause))
                : before.again(describe(cause));
        if (before == null) {
            log.warn("Records of {} could not be applied and will be tried again until they are: {}", topic,
                    next.lastError(), cause);
        } else if (Duration.between(before.loggedAt(), now).compareTo(REPEAT_LOG) >= 0) {
            log.warn("Records of {} still cannot be applied, for {} s now ({} attempts): {}", topic,
                    Duration.between(before.since(), now).toSeconds(), next.attempts(), next.lastError());
            next = next.logged(now);
        }
        failing.put(topic, next);
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Map<String, Object> details = new TreeMap<>();
        boolean stuck = false;
        for (var entry : failing.entrySet()) {
            Failing f = entry.getValue();
            Duration failingFor = Duration.between(f.since(), now);
            stuck |= failingFor.compareTo(stuckAfter) >= 0;
            details.put(entry.getKey(), Map.of("failingSince", f.since().toString(),
                    "failingForSeconds", failingFor.toSeconds(), "attempts", f.attempts(), "lastError", f.lastError()));
        }
        return (stuck ? Health.down() : Health.up()).withDetails(details).build();
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** A run of failures of one topic's records. */
    private record Failing(Instant since, Instant loggedAt, int attempts, String lastError) {

        Failing again(String error) {
            return new Failing(since, loggedAt, attempts + 1, error);
        }

        Failing logged(Instant at) {
            return new Failing(since, at, attempts, lastError);
        }
    }
}
