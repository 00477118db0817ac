package io.runstream.ingress.messaging;

import io.runstream.api.kafka.TopicFollower;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.CommandOutcome;
import io.runstream.ingress.domain.CommandOutcomes;
import io.runstream.ingress.domain.ControlCommand;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
class KafkaCommandOutcomes extends TopicFollower<ExecutionCommandDecided> implements CommandOutcomes {

    private static final Logger log = LoggerFactory.getLogger(KafkaCommandOutcomes.class);

    private final Map<Waited, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();

    /** What names one command: callers choose its id, so the tenant and the execution are part of it. */
    private record Waited(String tenant, String executionId, String commandId) {
    }
    private final String topic;
    private final CountDownLatch positioned = new CountDownLatch(1);

    KafkaCommandOutcomes(KafkaProperties kafka, IngressProperties properties) {
        // an outcome counts once the worker's transaction committed it; an aborted one never took effect
        super("command-outcomes", groupless(kafka.buildConsumerProperties(), "runstream-ingress-outcomes", "latest",
                "read_committed"), properties.control().outcomesTopic(), () -> values(kafka), Duration.ofMillis(500));
        this.topic = properties.control().outcomesTopic();
    }

    private static AvroDeserializer<ExecutionCommandDecided> values(KafkaProperties kafka) {
        AvroDeserializer<ExecutionCommandDecided> values = new AvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", kafka.getProperties().get("schema.registry.url"),
                AvroDeserializer.VALUE_TYPE_CONFIG, ExecutionCommandDecided.class), false);
        return values;
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
        super.start();
        try {
            if (!positioned.await(30, TimeUnit.SECONDS)) {
                log.warn("The outcomes topic {} is not readable yet; commands wait for their outcomes once it is",
                        topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void position(KafkaConsumer<String, ExecutionCommandDecided> consumer,
            List<TopicPartition> partitions) {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        positioned.countDown();
    }

    @Override
    protected void accept(ConsumerRecord<String, ExecutionCommandDecided> record) {
        ExecutionCommandDecided d = record.value();
        CompletableFuture<CommandOutcome> wait = waiting.get(new Waited(d.getTenant(), d.getExecutionId(),
                d.getCommandId()));
        if (wait != null) {
            wait.complete(toOutcome(d));
        }
    }

    private static CommandOutcome toOutcome(ExecutionCommandDecided d) {
        return new CommandOutcome(UUID.fromString(d.getCommandId()), d.getAccepted(), d.getCode(), d.getMessage(),
                d.getStatus() == null ? null : d.getStatus().name(), d.getDecidedAt(), d.getSequence(),
                d.getRedriveCount());
    }

    /** Before the web server (which starts in a later phase), so it is positioned when requests arrive. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
