package io.runstream.projection.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * The one way a record leaves the projection's partitions without being applied in full: onto its dead-letter topic
 * with the reason in headers, counted in {@code runstream.dead.letters} and logged once.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final UnaryOperator<String> deadLetterTopic;
    private final MeterRegistry meters;

    /**
     * @param deadLetterTopic the dead-letter topic of each topic the projection reads
     */
    public DeadLetters(KafkaTemplate<String, Object> template, UnaryOperator<String> deadLetterTopic,
            MeterRegistry meters) {
        this.deadLetterTopic = deadLetterTopic;
        this.meters = meters;
        this.recoverer = new DeadLetterPublishingRecoverer(template,
                (record, failure) -> new TopicPartition(deadLetterTopic.apply(record.topic()), -1));
    }

    /** Publishes the record, as it came, to its dead-letter topic, with why in its headers. */
    public void send(ConsumerRecord<?, ?> record, Exception reason) {
        String topic = deadLetterTopic.apply(record.topic());
        recoverer.accept(record, reason);
        meters.counter("runstream.dead.letters", "topic", topic, "reason", kind(reason)).increment();
        log.warn("Record {}-{}@{} (key {}) put on {}: {}", record.topic(), record.partition(), record.offset(),
                record.key(), topic, message(reason));
    }

    /** Whether the failure is a record's own, so retrying it is pointless. */
    public static boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DeserializationException || t instanceof PoisonRecordException) {
                return true;
            }
        }
        return false;
    }

    private static String kind(Exception reason) {
        for (Throwable t = reason; t != null; t = t.getCause()) {
            if (t instanceof DeserializationException) {
                return "unreadable";
            }
            if (t instanceof PoisonRecordException poison) {
                return poison.kind();
            }
        }
        return "failed";
    }

    /** The innermost message: the record's own reason, not the listener's wrappers around it. */
    private static String message(Throwable reason) {
        String message = null;
        for (Throwable t = reason; t != null; t = t.getCause()) {
            message = t.getMessage() == null ? message : t.getMessage();
        }
        return String.valueOf(message);
    }
}
