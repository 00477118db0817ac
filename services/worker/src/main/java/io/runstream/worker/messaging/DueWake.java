package io.runstream.worker.messaging;

import java.time.Duration;
import java.util.function.LongConsumer;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One wall-clock punctuation, scheduled for the earliest moment something a processor keeps comes due, and none when
 * nothing is due. Kafka Streams commits a transaction after every wall-clock punctuation, so a fixed one every check
 * interval cost an idle worker an empty commit each time. Checks come at most once per interval, so what is due runs
 * at most an interval late. After it runs, the processor arms it again for what is still to come.
 */
final class DueWake {

    private final ProcessorContext<?, ?> context;
    private final long intervalMillis;
    private final LongConsumer check;
    private Cancellable scheduled;
    private long at = Long.MAX_VALUE;
    private long lastCheck;

    DueWake(ProcessorContext<?, ?> context, Duration interval, LongConsumer check) {
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
        at = next;
        scheduled = context.schedule(Duration.ofMillis(Math.max(1, next - context.currentSystemTimeMs())),
                PunctuationType.WALL_CLOCK_TIME, this::run);
    }

    private void run(long nowMillis) {
        scheduled.cancel();
        scheduled = null;
        at = Long.MAX_VALUE;
        lastCheck = nowMillis;
        check.accept(nowMillis);
    }
}
