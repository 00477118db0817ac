package io.runstream.worker.runner;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.schemas.SecretSealed;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.worker.settings.WorkerProperties;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
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
class SecretBook implements SecretLookup, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SecretBook.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, SecretCipher.Sealed> secrets = new ConcurrentHashMap<>();
    private final Map<String, Object> config;
    private final String registryUrl;
    private final String topic;
    private final Duration lookupWait;
    /** When the last read that reached the topic's end began (nanoTime); what was acknowledged before it is here. */
    private volatile long readToEndAsOf = Long.MIN_VALUE;
    private volatile boolean running;
    private volatile KafkaConsumer<String, SecretSealed> consumer;
    private Thread thread;

    SecretBook(KafkaProperties kafka, WorkerProperties properties) {
        this.config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runstream-runner-secrets-" + UUID.randomUUID());
        this.registryUrl = kafka.getProperties().get("schema.registry.url");
        this.topic = properties.secrets().topic();
        this.lookupWait = properties.secrets().lookupWait();
    }

    @Override
    public Mono<SecretCipher.Sealed> find(String tenant, String name) {
        String key = tenant + "/" + name;
        SecretCipher.Sealed known = secrets.get(key);
        if (known != null) {
            return Mono.just(known);
        }
        long asked = System.nanoTime();
        return Flux.interval(Duration.ofMillis(20), Duration.ofMillis(50))
                .filter(tick -> readToEndAsOf - asked >= 0 || secrets.containsKey(key))
                .next()
                .timeout(lookupWait, Mono.empty())
                .flatMap(tick -> Mono.justOrEmpty(secrets.get(key)));
    }

    private void follow() {
        while (running) {
            AvroDeserializer<SecretSealed> values = new AvroDeserializer<>();
            values.configure(Map.of("schema.registry.url", registryUrl,
                    AvroDeserializer.VALUE_TYPE_CONFIG, SecretSealed.class), false);
            try (KafkaConsumer<String, SecretSealed> c = new KafkaConsumer<>(config, new StringDeserializer(),
                    values)) {
                consumer = c;
                List<TopicPartition> partitions = partitions(c);
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    long start = System.nanoTime();
                    poll(c);
                    if (atEnd(c, partitions)) {
                        readToEndAsOf = start;
                    }
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("Reading secrets failed; reading again in 1 s: {}", e.toString());
                sleep();
            }
        }
    }

    private void poll(KafkaConsumer<String, SecretSealed> c) {
        try {
            for (ConsumerRecord<String, SecretSealed> record : c.poll(POLL)) {
                SecretSealed value = record.value();
                if (value == null) {
                    secrets.remove(record.key());
                } else {
                    secrets.put(value.getTenant() + "/" + value.getName(), new SecretCipher.Sealed(value.getKeyId(),
                            bytes(value.getNonce()), bytes(value.getCiphertext())));
                }
            }
        } catch (RecordDeserializationException poison) {
            log.warn("Skipping an unreadable secret record at {} offset {}", poison.topicPartition(),
                    poison.offset());
            c.seek(poison.topicPartition(), poison.offset() + 1);
        }
    }

    /** Whether every partition has been read to the end it has now. */
    private static boolean atEnd(KafkaConsumer<String, SecretSealed> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(5));
        return partitions.stream().allMatch(p -> c.position(p) >= ends.getOrDefault(p, 0L));
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, SecretSealed> c) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            sleep();
        }
        throw new WakeupException();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::follow, "runner-secrets");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, SecretSealed> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
