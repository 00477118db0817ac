package io.runstream.ingress.messaging;

import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.CommandOutcome;
import io.runstream.ingress.domain.CommandOutcomes;
import io.runstream.ingress.domain.ControlCommand;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

/**
 * Follows the outcomes topic from its end, on every ingress instance and with no consumer group (each instance
 * reads every partition; outcomes are small and few), and completes the waits of this instance's callers, with
 * what the worker committed only. It is
 * positioned before the web server takes requests, so an outcome can never arrive before its wait was registered.
 */
@Component
class KafkaCommandOutcomes implements CommandOutcomes, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaCommandOutcomes.class);

    private final Map<Waited, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();

    /** What names one command: callers choose its id, so the tenant and the execution are part of it. */
    private record Waited(String tenant, String executionId, String commandId) {
    }
    private final Map<String, Object> config;
    private final String topic;
    private final String registryUrl;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, ExecutionCommandDecided> consumer;
    private Thread thread;

    KafkaCommandOutcomes(KafkaProperties kafka, IngressProperties properties) {
        this.config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // an outcome counts once the worker's transaction committed it; an aborted one never took effect
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runstream-ingress-outcomes-" + UUID.randomUUID());
        this.registryUrl = kafka.getProperties().get("schema.registry.url");
        this.topic = properties.control().outcomesTopic();
    }

    @Override
    public CompletableFuture<CommandOutcome> expect(ControlCommand command) {
        return waiting.computeIfAbsent(waited(command), id -> new CompletableFuture<>());
    }

    @Override
    public void forget(ControlCommand command) {
        waiting.remove(waited(command));
    }

    private static Waited waited(ControlCommand command) {
        return new Waited(command.tenant(), command.executionId().toString(), command.commandId().toString());
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::follow, "command-outcomes");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!positioned.await(30, TimeUnit.SECONDS)) {
                log.warn("The outcomes topic {} is not readable yet; commands wait for their outcomes once it is",
                        topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        while (running) {
            AvroDeserializer<ExecutionCommandDecided> values = new AvroDeserializer<>();
            values.configure(Map.of("schema.registry.url", registryUrl,
                    AvroDeserializer.VALUE_TYPE_CONFIG, ExecutionCommandDecided.class), false);
            try (KafkaConsumer<String, ExecutionCommandDecided> c = new KafkaConsumer<>(config,
                    new StringDeserializer(), values)) {
                consumer = c;
                List<TopicPartition> partitions = partitions(c);
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position);
                positioned.countDown();
                while (running) {
                    poll(c);
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("Reading command outcomes failed; reading again in 1 s: {}", e.toString());
                sleep();
            }
        }
    }

    private void poll(KafkaConsumer<String, ExecutionCommandDecided> c) {
        try {
            for (ConsumerRecord<String, ExecutionCommandDecided> record : c.poll(Duration.ofMillis(500))) {
                ExecutionCommandDecided d = record.value();
                CompletableFuture<CommandOutcome> wait = waiting.get(new Waited(d.getTenant(), d.getExecutionId(),
                        d.getCommandId()));
                if (wait != null) {
                    wait.complete(toOutcome(d));
                }
            }
        } catch (RecordDeserializationException poison) {
            log.warn("Skipping an unreadable command outcome at {} offset {}: {}", poison.topicPartition(),
                    poison.offset(), poison.getMessage());
            c.seek(poison.topicPartition(), poison.offset() + 1);
        }
    }

    private static CommandOutcome toOutcome(ExecutionCommandDecided d) {
        return new CommandOutcome(UUID.fromString(d.getCommandId()), d.getAccepted(), d.getCode(), d.getMessage(),
                d.getStatus() == null ? null : d.getStatus().name(), d.getDecidedAt(), d.getSequence(),
                d.getRedriveCount());
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, ExecutionCommandDecided> c) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            sleep();
        }
        throw new WakeupException();
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, ExecutionCommandDecided> c = consumer;
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

    /** Before the web server (which starts in a later phase), so it is positioned when requests arrive. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
