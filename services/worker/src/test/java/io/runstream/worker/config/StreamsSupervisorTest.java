package io.runstream.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamsSupervisorTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StreamsSupervisor supervisor = new StreamsSupervisor(Duration.ofSeconds(5), meters);

    @Test
    void shouldReplaceAStreamThreadAndCountIt() throws Exception {
        StreamThreadExceptionResponse response = failOn("runstream-worker-1-StreamThread-1",
                new IllegalStateException("broker gone"));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(supervisor.threadsReplaced()).isEqualTo(1);
        assertThat(supervisor.lastFailure()).isEqualTo(
                "runstream-worker-1-StreamThread-1: java.lang.IllegalStateException: broker gone");
        assertThat(meters.get("runstream.worker.streams.failures").tag("outcome", "thread-replaced").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void shouldShutTheClientDownWhenTheGlobalThreadFailsSinceKafkaCannotReplaceIt() throws Exception {
        StreamThreadExceptionResponse response = failOn("runstream-worker-1-GlobalStreamThread",
                new IllegalStateException("offset out of range"));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(supervisor.threadsReplaced()).isZero();
        assertThat(supervisor.lastFailure()).startsWith("runstream-worker-1-GlobalStreamThread: ");
    }

    /** The handler's answer on a thread of that name, as Kafka Streams calls it on the thread that failed. */
    private StreamThreadExceptionResponse failOn(String threadName, Throwable failure) throws InterruptedException {
        AtomicReference<StreamThreadExceptionResponse> response = new AtomicReference<>();
        Thread thread = new Thread(() -> response.set(supervisor.handle(failure)), threadName);
        thread.start();
        thread.join();
        return response.get();
    }
}
