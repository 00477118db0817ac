package io.runstream.worker.messaging;

import java.time.Duration;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One wall-clock punctuation, scheduled for the earliest moment something a processor keeps comes due, and none when
 * nothing is due. Kafka Streams commits a transaction after every wall-clock punctuation, so a fixed one every check
 * interval cost an idle worker an empty commit each time. Checks come at most once per interval, so what is due runs
 * at most an interval late. After it runs, the processor arms it again for what is still to come. The check is told
 * how late it runs: much later than scheduled means the stream thread was held up (see {@link CatchUp}).
 */
final class DueWake {

    /** What runs when something is due. */
    @FunctionalInterface
    interface Check {
        /**
         * @param nowMillis the wall-clock time it runs at
         * @param lateMillis how much later than it was scheduled for (or than it was scheduled, if that was later)
         */
        void run(long nowMillis, long lateMillis);
    }

    private final ProcessorContext<?, ?> context;
    private final long intervalMillis;
    private final Check check;
    private Cancellable scheduled;
    private long at = Long.MAX_VALUE;
    /** When the scheduled punctuation is to run, or when it was scheduled if that was later. */
    private long expected;
    private long lastCheck;

    DueWake(ProcessorContext<?, ?> context, Duration interval, Check check) {
        this.context = context;
        this.intervalMillis = interval.toMillis();
        this.check = check;
    }

    /**
     * Makes sure the check runs by {@code dueMillis}, or one interval after the last check, whichever is later;
     * {@link Long#MAX_VALUE} (nothing due) changes nothing.
     */
    void armFor(long dueMillis) {
        if (dueMillis == Long.MAX_VALUE) {
            return;
        }
        long next = Math.max(dueMillis, lastCheck + intervalMillis);
        if (next >= at) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel();
        }
        long now = context.currentSystemTimeMs();
        at = next;
        expected = Math.max(next, now);
        scheduled = context.schedule(Duration.ofMillis(Math.max(1, next - now)), PunctuationType.WALL_CLOCK_TIME,
                this::run);
    }

    private void run(long nowMillis) {
        scheduled.cancel();
        scheduled = null;
        at = Long.MAX_VALUE;
        lastCheck = nowMillis;
        check.run(nowMillis, Math.max(0, nowMillis - expected));
    }
}
