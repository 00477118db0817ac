package io.runstream.worker.crash;

import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its start with read_committed, as a subscriber would, into a list the test inspects. It reads
 * every partition itself, in no consumer group: a group's member starts again from its last committed offset after a
 * rebalance (the whole cluster restarting causes one), and would list records twice that the log holds once.
 */
final class TopicTail<T> implements AutoCloseable {

    /** Reads one record's value. */
    @FunctionalInterface
    interface Reader<T> {
        T read(String topic, Headers headers, byte[] value);
    }

    final List<T> records = new CopyOnWriteArrayList<>();
    private volatile boolean reading = true;
    private final Thread thread;

    TopicTail(String bootstrap, SchemaRegistry registry, String topic, Class<T> type) {
        this(bootstrap, topic, avro(registry, type));
    }

    /** An Avro record of the topic's type, as a subscriber with the registry reads it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Reader<T> avro(SchemaRegistry registry, Class<T> type) {
        AvroDeserializer deserializer = new AvroDeserializer(registry, type);
        return (topic, headers, value) -> (T) deserializer.deserialize(topic, value);
    }

    /** @param read what the test keeps of each record, given its topic, headers and value */
    TopicTail(String bootstrap, String topic, Reader<T> read) {
        thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed",
                    "metadata.max.age.ms", "1000"), new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = List.of();
                while (reading && partitions.isEmpty()) {
                    // the workers create the topic once they start
                    try {
                        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                                .map(p -> new TopicPartition(topic, p.partition())).toList();
                    } catch (org.apache.kafka.common.errors.TimeoutException notYet) {
                        partitions = List.of();
                    }
                    if (partitions.isEmpty()) {
                        LockSupport.parkNanos(200_000_000L);
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (reading) {
                    consumer.poll(Duration.ofMillis(100))
                            .forEach(r -> records.add(read.read(r.topic(), r.headers(), r.value())));
                }
            }
        }, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        reading = false;
        thread.join(10_000);
    }
}
