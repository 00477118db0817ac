package io.runstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Snapshots the end offsets of every topic named runstream* and counts the data records between two snapshots. */
final class RecordCounter implements AutoCloseable {

    /** Every Runstream topic: the public and internal ones ({@code runstream.}) and the worker's changelogs. */
    static final String PREFIX = "runstream";

    private final String bootstrap;
    private final Admin admin;

    RecordCounter(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** One topic's count: data records (what a read_committed poll returns) and offsets between the snapshots. */
    record TopicCount(String topic, long dataRecords, long offsets, long unread) {

        static TopicCount sum(String name, List<TopicCount> counts) {
            return new TopicCount(name, counts.stream().mapToLong(TopicCount::dataRecords).sum(),
                    counts.stream().mapToLong(TopicCount::offsets).sum(),
                    counts.stream().mapToLong(TopicCount::unread).sum());
        }
    }

    /**
     * The last stable offset of each partition of every runstream* topic (Kafka Streams' internal topics are
     * ordinary topics, so the worker's changelogs are among them): below it every transaction is decided.
     */
    Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        Set<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(PREFIX))
                .collect(Collectors.toSet());
        Set<TopicPartition> partitions = new HashSet<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        return offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
    }

    /**
     * Reads every partition from its {@code start} offset (a topic created in between from its beginning) up to its
     * {@code end} offset with a read_committed consumer and counts the records poll returns, which never include
     * transaction markers or aborted records; offsets that could not be read (deleted, or not reached within
     * {@code timeout}) are counted as unread.
     */
    List<TopicCount> count(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end, Duration timeout)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> earliest = offsets(end.keySet(), OffsetSpec.earliest(),
                IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> records = new HashMap<>();
        Map<TopicPartition, Long> unread = new HashMap<>();
        end.forEach((tp, last) -> {
            long first = start.getOrDefault(tp, 0L);
            long readable = Math.max(first, earliest.getOrDefault(tp, 0L));
            records.put(tp, 0L);
            unread.put(tp, Math.max(0, Math.min(readable, last) - first));
            if (readable < last) {
                from.put(tp, readable);
            }
        });
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed", "enable.auto.commit", false, "auto.offset.reset", "none",
                "max.poll.records", 2000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Set<TopicPartition> pending = new HashSet<>(from.keySet());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        records.merge(tp, 1L, Long::sum);
                    }
                }
                for (TopicPartition tp : List.copyOf(pending)) {
                    if (consumer.position(tp) >= end.get(tp)) {
                        pending.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
            for (TopicPartition tp : pending) {
                unread.merge(tp, end.get(tp) - Math.max(from.get(tp), consumer.position(tp)), Long::sum);
            }
        }
        Map<String, List<TopicCount>> byTopic = new TreeMap<>();
        end.forEach((tp, last) -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(new TopicCount(
                tp.topic(), records.get(tp), Math.max(0, last - start.getOrDefault(tp, 0L)), unread.get(tp))));
        List<TopicCount> counts = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> counts.add(TopicCount.sum(topic, partitions)));
        counts.sort(Comparator.comparing(TopicCount::topic));
        return counts;
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec,
            IsolationLevel isolation) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get()
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        admin.close();
    }
}
