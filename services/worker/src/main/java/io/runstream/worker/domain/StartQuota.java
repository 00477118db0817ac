package io.runstream.worker.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How many runs each tenant's schedules and events may start: a token bucket per tenant, refilled at
 * {@code perSecond} a second and holding at most as many, so a burst of that size passes and a runaway (a schedule
 * every second on many workflows, workflows started by the events they emit) is held to the rate. Kept in memory by
 * the one scheduler that owns the tenant; a restart starts it full.
 */
public final class StartQuota {

    private final int perSecond;
    private final Map<String, double[]> buckets = new HashMap<>();

    public StartQuota(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes one start for the tenant now; false when its bucket is empty. */
    public boolean take(String tenant, Instant now) {
        double[] bucket = buckets.computeIfAbsent(tenant, t -> new double[] {perSecond, now.toEpochMilli()});
        double elapsed = Math.max(0, now.toEpochMilli() - bucket[1]) / 1000.0;
        bucket[0] = Math.min(perSecond, bucket[0] + elapsed * perSecond);
        bucket[1] = Math.max(bucket[1], now.toEpochMilli());
        if (bucket[0] < 1) {
            return false;
        }
        bucket[0] -= 1;
        return true;
    }

    public int perSecond() {
        return perSecond;
    }
}
