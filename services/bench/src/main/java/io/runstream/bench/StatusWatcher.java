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
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the public status stream and notes when, and in which status, each execution reached a terminal one. */
final class StatusWatcher implements AutoCloseable {

    private final Map<String, Long> finishedNanos = new ConcurrentHashMap<>();
    private final Map<String, ExecutionStatus> terminalStatus = new ConcurrentHashMap<>();
    private final Thread thread;
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
                    records.forEach(r -> {
                        var status = r.value().getStatus();
                        if (status != ExecutionStatus.QUEUED && status != ExecutionStatus.RUNNING) {
                            terminalStatus.putIfAbsent(r.value().getExecutionId(), status);
                            finishedNanos.putIfAbsent(r.value().getExecutionId(), now);
                        }
                    });
                }
            }
        }, "status-watcher");
        thread.start();
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
