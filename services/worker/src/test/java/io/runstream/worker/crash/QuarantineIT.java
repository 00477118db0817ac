package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An execution whose input crashes its worker instance, for real: a jq expression that iterates with operators
 * only, which nothing inside the evaluation can stop, so the expression watchdog halts the JVM. Restarted, the
 * instance reports the input that was in flight; after the second crash the execution is quarantined (FAILED,
 * QUARANTINED) instead of crashing the instance again, and the executions next to it finish as if nothing happened.
 */
class QuarantineIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final int NORMAL = 30;
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final String NORMAL_DEFINITION = """
            document: {dsl: "1.0.0", namespace: crash, name: normal, version: "0.1.0"}
            do:
              - pause:
                  wait: PT3S
              - done:
                  set: {done: true}
            """;
    private static final String RUNAWAY_DEFINITION = """
            document: {dsl: "1.0.0", namespace: crash, name: runaway, version: "0.1.0"}
            do:
              - spin:
                  set: '${ [range(100000)] as $a | reduce ($a[] as $x | $a[] | . + $x) as $s (0; . + $s) }'
            """;

    @Test
    void shouldQuarantineAnExecutionThatCrashedItsWorkerTwiceAndFinishTheOthers() throws Exception {
        String app = "worker-quarantine-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = WorkerCrashIT.settings(app);
        settings.put("runstream.worker.limits.expression-halt-after", "4s");
        try (WorkerCrashIT.Workers workers = new WorkerCrashIT.Workers(app, settings);
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class)) {
            workers.start(0);
            workers.awaitRunning();
            Instant startedAt = Instant.now();
            List<String> normal = new ArrayList<>();
            String runaway = UUID.randomUUID().toString();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                    new AvroSerializer<ExecutionRequested>(registry))) {
                for (int i = 0; i < NORMAL; i++) {
                    String id = UUID.randomUUID().toString();
                    normal.add(id);
                    producer.send(record(app, id, NORMAL_DEFINITION));
                    if (i == NORMAL / 2) {
                        producer.send(record(app, runaway, RUNAWAY_DEFINITION));
                    }
                }
                producer.flush();
            }

            List<Integer> exits = new ArrayList<>();
            while (!terminalIds(status.records).contains(runaway) && exits.size() < 4) {
                WorkerProcess worker = workers.get(0);
                int exit = worker.awaitExit(Duration.ofSeconds(90));
                if (exit == -1) {
                    break;
                }
                exits.add(exit);
                assertThat(Files.readString(worker.log)).contains("Halting: the jq expression");
                WorkerProcess restarted = workers.start(0);
                // a restarted worker may take up the input that halts it before its client says RUNNING
                await().atMost(Duration.ofSeconds(120)).until(() -> restarted.isRunning() || !restarted.isAlive());
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> terminalIds(status.records).contains(runaway) || !workers.get(0).isAlive());
            }
            List<String> all = new ArrayList<>(normal);
            all.add(runaway);
            await().atMost(Duration.ofSeconds(60)).until(() -> terminalIds(status.records).containsAll(all));
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

            List<ExecutionStatusChanged> events = List.copyOf(status.records);
            Map<String, List<ExecutionStatusChanged>> terminals = events.stream()
                    .filter(e -> TERMINAL.contains(e.getStatus().name()))
                    .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId));
            long duplicateTerminals = terminals.values().stream().mapToLong(t -> t.size() - 1).sum();
            long succeeded = normal.stream().filter(id -> terminals.get(id).get(0).getStatus().name()
                    .equals("SUCCEEDED")).count();
            ExecutionStatusChanged quarantined = terminals.get(runaway).get(0);
            System.out.printf("worker-quarantine: %d halts (exit codes %s), runaway %s %s %.1f s after start,"
                    + " %d/%d others succeeded, %d duplicate terminals%n", exits.size(), exits,
                    quarantined.getStatus(), quarantined.getError() == null ? "-" : quarantined.getError().getCode(),
                    Duration.between(startedAt, quarantined.getOccurredAt()).toMillis() / 1000.0, succeeded, NORMAL,
                    duplicateTerminals);

            assertThat(exits).as("the worker was halted by its watchdog twice, then no more")
                    .containsExactly(70, 70);
            assertThat(workers.get(0).isAlive()).isTrue();
            assertThat(quarantined.getStatus().name()).isEqualTo("FAILED");
            assertThat(quarantined.getError().getCode()).isEqualTo("QUARANTINED");
            assertThat(succeeded).as("the executions next to it finished").isEqualTo(NORMAL);
            assertThat(duplicateTerminals).as("exactly one terminal status each").isZero();
        }
    }

    private static ProducerRecord<String, ExecutionRequested> record(String app, String id, String definition) {
        return new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder().setExecutionId(id)
                .setTenant("default").setWorkflowId("quarantine").setWorkflowVersion(1).setDefinition(definition)
                .setInputJson("{}").setRequestedAt(Instant.now()).build());
    }

    private static Set<String> terminalIds(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.getStatus().name()))
                .map(ExecutionStatusChanged::getExecutionId).collect(Collectors.toSet());
    }
}
