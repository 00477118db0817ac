package io.runstream.worker.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Keeps the worker's Kafka Streams client at work through failures Kafka Streams does not recover from by itself.
 * Every exception that reaches it has passed the topology's own handlers (a record or an execution that fails is
 * logged and dead-lettered or failed there), so what is left are the clients' and the cluster's: after a whole
 * cluster was killed, for example, a global store's read position can be past the end of its topic.
 * <ul>
 *   <li>A stream thread that dies is replaced by a new one, which takes its tasks back in a rebalance and goes on
 *       from their last commit; Kafka's default would shut the whole client down.</li>
 *   <li>The client in {@code ERROR} (its global thread died, which Kafka cannot replace; its advice is to restart
 *       the client) is stopped and started again {@code restartDelay} later, as long as Spring has not stopped it:
 *       the new client reads the global stores from their topics again and takes its tasks from their last
 *       commit.</li>
 * </ul>
 * Both are counted ({@code runstream.worker.streams.failures} by {@code outcome}), logged at ERROR with the cause,
 * and shown by the {@code streams} health component.
 */
final class StreamsSupervisor implements StreamsUncaughtExceptionHandler, KafkaStreams.StateListener,
        ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(StreamsSupervisor.class);

    private final Duration restartDelay;
    private final Counter threadsReplaced;
    private final Counter restarts;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final AtomicBoolean restartPending = new AtomicBoolean();
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "runstream-streams-restart");
        thread.setDaemon(true);
        return thread;
    });
    private volatile StreamsBuilderFactoryBean streams;
    private volatile boolean closing;

    StreamsSupervisor(Duration restartDelay, MeterRegistry meters) {
        this.restartDelay = restartDelay;
        this.threadsReplaced = failures(meters, "thread-replaced");
        this.restarts = failures(meters, "client-restarted");
    }

    /** Supervises the clients {@code factory} starts. */
    void attach(StreamsBuilderFactoryBean factory) {
        this.streams = factory;
        factory.setStreamsUncaughtExceptionHandler(this);
        factory.setStateListener(this);
    }

    /** The client now, or null when none runs. */
    KafkaStreams client() {
        StreamsBuilderFactoryBean factory = streams;
        return factory == null ? null : factory.getKafkaStreams();
    }

    private static Counter failures(MeterRegistry meters, String outcome) {
        return Counter.builder("runstream.worker.streams.failures").tag("outcome", outcome)
                .description("Kafka Streams threads that died and were replaced, and clients restarted after they "
                        + "failed for good").register(meters);
    }

    /**
     * On the thread that died: a stream thread is replaced; the global thread cannot be (asked to, Kafka Streams
     * 4.2 ends the client and then fails on it), so its client is shut down to ERROR and restarted from there.
     */
    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        String thread = Thread.currentThread().getName();
        lastFailure.set(thread + ": " + exception);
        if (thread.endsWith("-GlobalStreamThread")) {
            log.error("The Kafka Streams global thread {} failed; the client stops and a new one starts in {} s",
                    thread, restartDelay.toSeconds(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("Kafka Streams thread {} failed; a new thread replaces it", thread, exception);
        threadsReplaced.increment();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.ERROR && !closing) {
            log.error("The Kafka Streams client failed for good ({}); a new one starts in {} s", lastFailure.get(),
                    restartDelay.toSeconds());
            scheduleRestart();
        }
    }

    private void scheduleRestart() {
        if (!closing && restartPending.compareAndSet(false, true)) {
            restarter.schedule(this::restart, restartDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the failed client and starts a new one, unless the context is closing or it works again. */
    private void restart() {
        restartPending.set(false);
        if (closing) {
            return;
        }
        try {
            if (streams.isRunning()) {
                KafkaStreams client = streams.getKafkaStreams();
                if (client != null && client.state() != KafkaStreams.State.ERROR) {
                    return;
                }
                streams.stop();
            }
            if (!closing) {
                streams.start();
                restarts.increment();
                log.warn("A new Kafka Streams client started after the last one failed");
            }
        } catch (RuntimeException e) {
            log.error("The Kafka Streams client could not be started again; trying again in {} s",
                    restartDelay.toSeconds(), e);
            scheduleRestart();
        }
    }

    /** Before Spring stops the client: an ERROR from here on is the context closing, not a reason to restart. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
        restarter.shutdownNow();
    }

    /** The last failure seen, as {@code thread: exception}; null if none. */
    String lastFailure() {
        return lastFailure.get();
    }

    long threadsReplaced() {
        return (long) threadsReplaced.count();
    }

    long restarts() {
        return (long) restarts.count();
    }
}
