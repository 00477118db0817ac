package io.runstream.worker.crash;

import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its start with read_committed, as a subscriber would, into a list the test inspects. */
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
                    "group.id", "tail-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                    "isolation.level", "read_committed", "metadata.max.age.ms", "1000"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
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
