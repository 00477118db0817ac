package io.runstream.worker.runner;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.schemas.SecretSealed;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.worker.settings.WorkerProperties;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.runstream.api.kafka.TopicFollower;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every tenant's secrets as the ingress publishes them, still encrypted, read from the compacted topic by each runner
 * in full (no consumer group: every runner needs every secret) and kept in memory; a value is opened only when a
 * call needs it. A secret asked for that is not here yet (put just before its run started) is looked for again once
 * the topic has been read to the end it had when it was asked for, within {@code lookup-wait}.
 */
@Component
class SecretBook extends TopicFollower<SecretSealed> implements SecretLookup {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, SecretCipher.Sealed> secrets = new ConcurrentHashMap<>();
    private final Duration lookupWait;
    /** When the last read that reached the topic's end began (nanoTime); what was acknowledged before it is here. */
    private volatile long readToEndAsOf = Long.MIN_VALUE;
    /** Lookups waiting for the topic's end: only while there are, does a poll ask the broker where the end is. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    SecretBook(KafkaProperties kafka, WorkerProperties properties) {
        super("runner-secrets", groupless(kafka.buildConsumerProperties(), "runstream-runner-secrets", "earliest",
                "read_uncommitted"), properties.secrets().topic(), () -> values(kafka), POLL);
        this.lookupWait = properties.secrets().lookupWait();
    }

    private static AvroDeserializer<SecretSealed> values(KafkaProperties kafka) {
        AvroDeserializer<SecretSealed> values = new AvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", kafka.getProperties().get("schema.registry.url"),
                AvroDeserializer.VALUE_TYPE_CONFIG, SecretSealed.class), false);
        return values;
    }

    @Override
    public Mono<SecretCipher.Sealed> find(String tenant, String name) {
        String key = tenant + "/" + name;
        SecretCipher.Sealed known = secrets.get(key);
        if (known != null) {
            return Mono.just(known);
        }
        long asked = System.nanoTime();
        waiting.incrementAndGet();
        return once(() -> readToEndAsOf - asked >= 0 || secrets.containsKey(key), lookupWait)
                .doFinally(signal -> waiting.decrementAndGet())
                .flatMap(tick -> Mono.justOrEmpty(secrets.get(key)));
    }

    /**
     * A tick once {@code condition} holds, looked at every 50 ms, or empty after {@code within}. Ticks nobody has
     * asked for yet are dropped: a bare interval fails with an overflow when a tick comes before its subscriber's
     * request, which a busy machine can delay past the first tick (seen in a full build: the error was dropped and
     * the lookup never ended, so the call waited for its lease).
     */
    static Mono<Long> once(java.util.function.BooleanSupplier condition, Duration within) {
        return Flux.interval(Duration.ofMillis(20), Duration.ofMillis(50))
                .onBackpressureDrop()
                .filter(tick -> condition.getAsBoolean())
                .next()
                .timeout(within, Mono.empty());
    }

    @Override
    protected void position(KafkaConsumer<String, SecretSealed> consumer, List<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
    }

    @Override
    protected void accept(ConsumerRecord<String, SecretSealed> record) {
        SecretSealed value = record.value();
        if (value == null) {
            secrets.remove(record.key());
        } else {
            secrets.put(value.getTenant() + "/" + value.getName(), new SecretCipher.Sealed(value.getKeyId(),
                    bytes(value.getNonce()), bytes(value.getCiphertext())));
        }
    }

    /** While a lookup waits, notes when a poll began that left every partition read to the end it has now. */
    @Override
    protected void polled(KafkaConsumer<String, SecretSealed> consumer, List<TopicPartition> partitions,
            long started) {
        if (waiting.get() == 0) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        if (partitions.stream().allMatch(p -> consumer.position(p) >= ends.getOrDefault(p, 0L))) {
            readToEndAsOf = started;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
