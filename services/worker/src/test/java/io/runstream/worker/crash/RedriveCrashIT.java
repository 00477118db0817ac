package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Failed executions across real crashes: two worker JVMs, executions failed on a call, one worker killed with
 * SIGKILL while they lie failed, then all redriven and the other worker killed with the redrives in flight. Each
 * execution must still be redriven once, succeed once, and its completed call must never be made again.
 */
class RedriveCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final int EXECUTIONS = 40;

    private static String definition(String base) {
        return """
                document: {dsl: "1.0.0", namespace: crash, name: redrive, version: "0.1.0"}
                do:
                  - prepare:
                      call: http
                      with: {method: post, endpoint: '${ "%1$s/ok/prepare-" + $workflow.input.id }'}
                  - charge:
                      call: http
                      with: {method: post, endpoint: '${ "%1$s/flaky/charge-" + $workflow.input.id + "?failures=1" }'}
                  - done:
                      set: {charged: '${ .ok }'}
                """.formatted(base);
    }

    @Test
    void shouldRedriveEachFailedExecutionOnceThroughTwoKills() throws Exception {
        String app = "worker-redrive-" + UUID.randomUUID().toString().substring(0, 8);
        try (HttpStub stub = new HttpStub();
                var workers = new WorkerCrashIT.Workers(app, WorkerCrashIT.settings(app));
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
                        .setExecutionId(id).setTenant("default").setWorkflowId("redrive").setWorkflowVersion(1)
                        .setDefinition(definition(stub.baseUrl())).setInputJson("{\"id\":\"" + id + "\"}")
                        .setRequestedAt(Instant.now()).build()));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(90)).until(() -> ended(status.records, "FAILED").size() == EXECUTIONS);

            workers.get(0).kill();
            // past the 10 s session timeout: the survivor owns every partition, failed executions included
            await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(() -> true);
            Instant redrivenAt = Instant.now();
            for (String id : ids) {
                producer.send(new ProducerRecord<>(app + ".control", id, ExecutionCommandRequested.newBuilder()
                        .setCommandId(UUID.randomUUID().toString()).setExecutionId(id).setTenant("default")
                        .setCommand(ExecutionCommandType.REDRIVE).setRequestedAt(Instant.now()).build()));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> stub.paths().stream()
                    .filter(p -> p.startsWith("/flaky/charge-")).mapToInt(stub::calls).sum() > EXECUTIONS);
            // redrives decided and calls in flight: the other worker goes too, and the first comes back
            workers.get(1).kill();
            workers.start(0);
            await().atMost(Duration.ofSeconds(120)).until(() -> ended(status.records, "SUCCEEDED").size()
                    == EXECUTIONS);
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);

            List<ExecutionStatusChanged> succeeded = status.records.stream()
                    .filter(e -> e.getStatus().name().equals("SUCCEEDED")).toList();
            long duplicates = succeeded.size() - succeeded.stream().map(ExecutionStatusChanged::getExecutionId)
                    .distinct().count();
            int prepares = ids.stream().mapToInt(id -> stub.calls("/ok/prepare-" + id)).sum();
            int charges = ids.stream().mapToInt(id -> stub.calls("/flaky/charge-" + id)).sum();
            int keys = ids.stream().mapToInt(id -> new HashSet<>(stub.idempotencyKeys("/flaky/charge-" + id))
                    .size()).sum();
            long accepted = outcomes.records.stream().filter(o -> o.getCommand() == ExecutionCommandType.REDRIVE
                    && o.getAccepted()).count();
            Instant last = succeeded.stream().map(ExecutionStatusChanged::getOccurredAt).max(Instant::compareTo)
                    .orElseThrow();
            System.out.printf("worker-redrive: %d failed, a worker killed with SIGKILL while they lay failed, %d"
                    + " redrives accepted with the other worker killed mid-way, %d/%d succeeded, %d duplicate"
                    + " terminals, %d completed calls made again, %d charge calls under %d keys, redrive to last"
                    + " terminal %.1f s%n", EXECUTIONS, accepted, succeeded.size() - duplicates, EXECUTIONS,
                    duplicates, prepares - EXECUTIONS, charges, keys,
                    Duration.between(redrivenAt, last).toMillis() / 1000.0);

            assertThat(duplicates).isZero();
            assertThat(succeeded).allSatisfy(e -> {
                assertThat(e.getRedriveCount()).isEqualTo(1);
                assertThat(e.getOutputJson()).isEqualTo("{\"charged\":true}");
            });
            assertThat(prepares).as("the completed call is never made again").isEqualTo(EXECUTIONS);
            assertThat(keys).as("the failed call and its redrive, each under its own key").isEqualTo(2 * EXECUTIONS);
            assertThat(accepted).as("each redrive decided once, as a reader of committed outcomes sees it")
                    .isEqualTo(EXECUTIONS);
            assertThat(ended(status.records, "FAILED")).hasSize(EXECUTIONS);
        }
    }

    private static Set<String> ended(List<ExecutionStatusChanged> events, String status) {
        Set<String> ids = new HashSet<>();
        events.stream().filter(e -> e.getStatus().name().equals(status))
                .forEach(e -> ids.add(e.getExecutionId()));
        return ids;
    }
}
