package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionPhase;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Executions paused across a real crash: two worker JVMs, executions paused in a wait, one worker killed with
 * SIGKILL while they are paused. None may end while paused (their waits come due during the pause, after the
 * takeover); resumed later, each ends exactly once.
 */
class PausedCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final int EXECUTIONS = 60;
    private static final String DEFINITION = """
            document: {dsl: "1.0.0", namespace: crash, name: paused, version: "0.1.0"}
            do:
              - hold:
                  wait: PT8S
              - done:
                  set: {done: true}
            """;

    @Test
    void shouldKeepPausedExecutionsPausedThroughAKillAndResumeThemLater() throws Exception {
        String app = "worker-paused-" + UUID.randomUUID().toString().substring(0, 8);
        try (var workers = new WorkerCrashIT.Workers(app, WorkerCrashIT.settings(app));
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class);
                var outcomes = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".control-outcomes",
                        ExecutionCommandDecided.class);
                var producer = new KafkaProducer<String, SpecificRecord>(Map.of("bootstrap.servers",
                        infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                        new AvroSerializer<>(registry))) {
            workers.start(0);
            workers.start(1);
            workers.awaitRunning();

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < EXECUTIONS; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                producer.send(new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder()
                        .setExecutionId(id).setTenant("default").setWorkflowId("paused").setWorkflowVersion(1)
                        .setDefinition(DEFINITION).setInputJson("{}").setRequestedAt(Instant.now()).build()));
            }
            producer.flush();
            // commands after RUNNING, as through the API (a command on the control topic is not ordered with the
            // start on the commands topic)
            await().atMost(Duration.ofSeconds(60)).until(() -> status.records.stream()
                    .filter(e -> e.getStatus().name().equals("RUNNING")).count() >= EXECUTIONS);
            for (String id : ids) {
                producer.send(new ProducerRecord<>(app + ".control", id, command(id, ExecutionCommandType.PAUSE)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(outcomes.records,
                    ExecutionCommandType.PAUSE).size() == EXECUTIONS);
            // the outcomes and the SUSPENDED events are written together, but read by two consumers of their own
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status.records)
                    .filteredOn(e -> e.getPhase() == ExecutionPhase.SUSPENDED)
                    .extracting(ExecutionStatusChanged::getExecutionId).containsExactlyInAnyOrderElementsOf(ids));

            workers.get(0).kill();
            Instant killedAt = Instant.now();
            // 15 s: past every wait's due time, and past the 10 s session timeout, so the survivor took over
            await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
            int endedWhilePaused = terminal(status.records).size();
            assertThat(endedWhilePaused).as("nothing ends while paused, across the kill").isZero();

            Instant resumedAt = Instant.now();
            for (String id : ids) {
                producer.send(new ProducerRecord<>(app + ".control", id, command(id, ExecutionCommandType.RESUME)));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> terminal(status.records).size() == EXECUTIONS);
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

            List<ExecutionStatusChanged> ends = status.records.stream()
                    .filter(e -> e.getStatus().name().equals("SUCCEEDED")).toList();
            long duplicates = ends.size() - ends.stream().map(ExecutionStatusChanged::getExecutionId).distinct().count();
            Instant last = ends.stream().map(ExecutionStatusChanged::getOccurredAt).max(Instant::compareTo).orElseThrow();
            System.out.printf("worker-paused: %d paused, a worker killed with SIGKILL, resumed %.1f s later, %d ended"
                    + " while paused, %d/%d resumed and succeeded, %d duplicate terminals, resume to last terminal"
                    + " %.1f s%n", EXECUTIONS, Duration.between(killedAt, resumedAt).toMillis() / 1000.0,
                    endedWhilePaused, ends.size() - duplicates,
                    EXECUTIONS, duplicates, Duration.between(resumedAt, last).toMillis() / 1000.0);
            assertThat(terminal(status.records)).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(duplicates).isZero();
            assertThat(ends).allSatisfy(e -> assertThat(e.getOccurredAt()).isAfter(resumedAt));
            assertThat(accepted(outcomes.records, ExecutionCommandType.RESUME)).hasSize(EXECUTIONS);
        }
    }

    private static ExecutionCommandRequested command(String id, ExecutionCommandType type) {
        return ExecutionCommandRequested.newBuilder().setCommandId(UUID.randomUUID().toString()).setExecutionId(id)
                .setTenant("default").setCommand(type).setRequestedAt(Instant.now()).build();
    }

    private static Set<String> accepted(List<ExecutionCommandDecided> outcomes, ExecutionCommandType type) {
        return outcomes.stream().filter(o -> o.getCommand() == type && o.getAccepted())
                .map(ExecutionCommandDecided::getExecutionId).collect(Collectors.toSet());
    }

    private static List<String> terminal(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")
                .contains(e.getStatus().name())).map(ExecutionStatusChanged::getExecutionId).toList();
    }
}
