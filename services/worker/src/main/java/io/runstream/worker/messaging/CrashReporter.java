package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionCrashReported;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaOperations;

/**
 * At start, before Kafka Streams runs, reports each execution whose input was in flight when this instance last
 * stopped without a clean shutdown (see {@link CrashMarks}). The reports reach every instance's global store before
 * it processes, so the input that crashed instances is quarantined once it has done so often enough, rather than
 * moved from one instance to the next for good.
 */
public final class CrashReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CrashReporter.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final CrashMarks marks;
    private final KafkaOperations<String, Object> kafka;
    private final String topic;
    private volatile boolean running;

    public CrashReporter(CrashMarks marks, KafkaOperations<String, Object> kafka, String topic) {
        this.marks = marks;
        this.kafka = kafka;
        this.topic = topic;
    }

    @Override
    public void start() {
        List<String> inFlight = marks.leftOver();
        String instance = instance();
        try {
            for (String executionId : inFlight) {
                log.warn("This instance stopped last time while it processed execution {}; reporting it", executionId);
                kafka.send(topic, CrashReports.key(executionId, UUID.randomUUID().toString()),
                        new ExecutionCrashReported(executionId, instance, Instant.now()))
                        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            marks.discardLeftOver();
        } catch (ExecutionException | TimeoutException e) {
            // kept for the next start: without the report, the worst case is one more crash
            log.error("Could not report the executions in flight at the last stop {}; will try at the next start",
                    inFlight, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before Kafka Streams (and any other lifecycle of the worker) starts. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    private static String instance() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "localhost" : host) + "/" + ProcessHandle.current().pid();
    }
}
