package io.runstream.ingress.persistence;

import io.runstream.ingress.domain.ExecutionId;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Marks published requests in batches, off the request path: one UPDATE per flush instead of one per request.
 * A mark lost in a crash only makes the sweeper publish that request again (the worker takes a start once), and the
 * sweeper looks only at requests older than its min-age (15 s), so a flush a quarter second after the first mark
 * waiting is soon enough. A flush is scheduled only when a mark waits, so an idle ingress runs none: a fixed one
 * every 20 ms cost it 50 scheduled, observed runs a second, and one every 250 ms still four.
 */
@Component
class PublishedMarks {

    private static final Logger log = LoggerFactory.getLogger(PublishedMarks.class);
    private static final Duration FLUSH_AFTER = Duration.ofMillis(250);
    private static final int MAX_BATCH = 2_000;

    private final Queue<UUID> pending = new ConcurrentLinkedQueue<>();
    private final JdbcClient jdbc;
    private final TaskScheduler scheduler;
    /** Whether a flush is scheduled that has not started yet: a mark added meanwhile is in it. */
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    PublishedMarks(JdbcClient jdbc, TaskScheduler scheduler) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
    }

    void add(ExecutionId id) {
        pending.add(id.value());
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::scheduledFlush, Instant.now().plus(FLUSH_AFTER));
            } catch (TaskRejectedException shuttingDown) {
                // the scheduler has stopped, so the ingress is stopping: a mark not written makes the sweeper publish
                // that start again, which the worker takes once; the request that published it is not failed for it
                log.debug("Published marks are left to the sweeper: {}", shuttingDown.getMessage());
            }
        }
    }

    private void scheduledFlush() {
        // cleared before the queue is read: a mark added from here on schedules the next flush
        flushScheduled.set(false);
        flush();
    }

    @PreDestroy
    void flush() {
        List<UUID> batch = new ArrayList<>();
        for (UUID id = pending.poll(); id != null; id = pending.poll()) {
            batch.add(id);
            if (batch.size() == MAX_BATCH) {
                write(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    private void write(List<UUID> ids) {
        jdbc.sql("UPDATE execution_requests SET published_at = now() WHERE execution_id = ANY(?) AND published_at IS NULL")
                .param(ids.toArray(UUID[]::new))
                .update();
    }
}
