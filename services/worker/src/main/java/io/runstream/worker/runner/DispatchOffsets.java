package io.runstream.worker.runner;

import io.runstream.schemas.internal.ActivityDispatched;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the dispatches the runner takes before any of them starts (at most once per runner), and rewinds the
 * consumer to what it did not take, so that is read again.
 */
final class DispatchOffsets {

    private static final Logger log = LoggerFactory.getLogger(DispatchOffsets.class);

    private DispatchOffsets() {
    }

    /**
     * Commits with the consumer itself, so a commit refused because this runner is no longer in its group fails
     * before anything runs. False, and rewound, if it was not committed: another runner has those dispatches.
     */
    static boolean commit(List<ConsumerRecord<String, ActivityDispatched>> taken, Consumer<?, ?> consumer) {
        if (taken.isEmpty()) {
            return true;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        taken.forEach(r -> offsets.put(new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1)));
        try {
            consumer.commitSync(offsets);
            return true;
        } catch (KafkaException e) {
            // Not committed: the partitions may be another runner's now, and it will deliver these there.
            // Retrying here could run them twice; read them again only where they are still ours.
            log.info("Dispatches not committed ({}); leaving them to the partitions' owner", e.getMessage());
            rewind(taken, consumer);
            return false;
        }
    }

    /** Seeks each partition still assigned back to the first of these records on it. */
    static void rewind(List<ConsumerRecord<String, ActivityDispatched>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> first = new HashMap<>();
        records.forEach(r -> first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min));
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }
}
