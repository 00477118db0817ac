package io.runstream.bench;

import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the public status stream and notes when, and in which status, each execution reached a terminal one, and
 * when the worker says it first went RUNNING or ended (the events' own {@code occurredAt}).
 */
final class StatusWatcher implements AutoCloseable {

    private final Map<String, Long> finishedNanos = new ConcurrentHashMap<>();
    private final Map<String, ExecutionStatus> terminalStatus = new ConcurrentHashMap<>();
    private final Map<String, Long> runningOccurredMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> requestedMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> commandWrittenMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> terminalOccurredMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> terminalSeenMillis = new ConcurrentHashMap<>();
    private final Thread thread;
    /** The commands topic's reader, if {@link #withCommands} started one. */
    private Thread commands;
    private volatile boolean running = true;
    private volatile boolean assigned;

    StatusWatcher(String bootstrap, String registryUrl, String topic) {
        var deserializer = new AvroDeserializer<ExecutionStatusChanged>();
        deserializer.configure(Map.of("schema.registry.url", registryUrl), false);
        thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "latest",
                    "isolation.level", "read_committed"), new StringDeserializer(), deserializer)) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    assigned = assigned || !consumer.assignment().isEmpty();
                    long now = System.nanoTime();
                    long nowMillis = System.currentTimeMillis();
                    records.forEach(r -> {
                        var status = r.value().getStatus();
                        String id = r.value().getExecutionId();
                        if (status == ExecutionStatus.RUNNING) {
                            runningOccurredMillis.putIfAbsent(id, r.value().getOccurredAt().toEpochMilli());
                            requestedMillis.putIfAbsent(id, r.value().getRequestedAt().toEpochMilli());
                        } else if (status != ExecutionStatus.QUEUED) {
                            terminalStatus.putIfAbsent(id, status);
                            finishedNanos.putIfAbsent(id, now);
                            terminalOccurredMillis.putIfAbsent(id, r.value().getOccurredAt().toEpochMilli());
                            terminalSeenMillis.putIfAbsent(id, nowMillis);
                        }
                    });
                }
            }
        }, "status-watcher");
        thread.start();
    }

    /**
     * Also notes when each start's record was written to {@code topic} (its timestamp: when the ingress sent it),
     * keyed as the ingress keys it, by execution id.
     */
    StatusWatcher withCommands(String bootstrap, String topic) {
        commands = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    consumer.poll(Duration.ofMillis(50)).forEach(r -> commandWrittenMillis.putIfAbsent(r.key(),
                            r.timestamp()));
                }
            }
        }, "command-watcher");
        commands.start();
        return this;
    }

    /** When the ingress sent the execution's start record (epoch millis, its timestamp), or null. */
    Long commandWrittenAt(String executionId) {
        return commandWrittenMillis.get(executionId);
    }

    /** Where the execution's start was seen on the log, for {@link StageTimes}. */
    StageTimes.Points points(String executionId) {
        return new StageTimes.Points(requestedAt(executionId), commandWrittenAt(executionId),
                runningOccurredAt(executionId), terminalOccurredAt(executionId), terminalSeenAt(executionId));
    }

    void awaitAssignment() throws InterruptedException {
        while (!assigned) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
    }

    Long finishedAt(String executionId) {
        return finishedNanos.get(executionId);
    }

    ExecutionStatus terminalStatus(String executionId) {
        return terminalStatus.get(executionId);
    }

    /** When the worker first reported the execution RUNNING (epoch millis, its {@code occurredAt}), or null. */
    Long runningOccurredAt(String executionId) {
        return runningOccurredMillis.get(executionId);
    }

    /** When the ingress accepted the execution's start (epoch millis, its {@code requestedAt}), or null. */
    Long requestedAt(String executionId) {
        return requestedMillis.get(executionId);
    }

    /** When the worker reported the execution's terminal status (epoch millis, its {@code occurredAt}), or null. */
    Long terminalOccurredAt(String executionId) {
        return terminalOccurredMillis.get(executionId);
    }

    /** When this watcher read the execution's terminal status (epoch millis), or null. */
    Long terminalSeenAt(String executionId) {
        return terminalSeenMillis.get(executionId);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        if (commands != null) {
            commands.join();
        }
    }
}
