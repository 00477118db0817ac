package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A schedule through a real crash: the only worker, which owns every schedule, is killed with SIGKILL between fires
 * and started again only after the next slot has passed. Every slot from the first fire to the last must have started exactly one execution, which ended
 * once: the slot that passed while no worker ran is fired late, once.
 */
class ScheduleCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    /**
     * Longer than the outage (a slot, then a worker JVM's start and the killed member's 6 s session timeout, the
     * broker's least), so one slot passes unseen: the catch-up fires it, late.
     */
    private static final Duration EVERY = Duration.ofSeconds(15);

    @Test
    void shouldFireEachSlotOnceAcrossAWorkerKill() throws Exception {
        String app = "schedule-kill-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new java.util.HashMap<>(WorkerCrashIT.settings(app));
        settings.put("runstream.worker.schedules.catalog-scan", "1s");
        settings.put("runstream.worker.schedules.check-interval", "200ms");
        settings.put("spring.kafka.streams.properties.session.timeout.ms", "6000");
        settings.put("spring.kafka.streams.properties.heartbeat.interval.ms", "1000");
        String definition = """
                document: {dsl: "1.0.0", namespace: crash, name: tick, version: "0.1.0"}
                schedule:
                  every: %s
                do:
                  - tick:
                      set: '${ {at: $task.startedAt.iso8601} }'
                """.formatted(EVERY);
        try (var workers = new WorkerCrashIT.Workers(app, settings);
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class);
                var catalog = new KafkaProducer<String, WorkflowDefinition>(Map.of("bootstrap.servers",
                        infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                        new AvroSerializer<WorkflowDefinition>(registry))) {
            workers.start(0);
            workers.awaitRunning();
            catalog.send(new ProducerRecord<>(app + ".workflows", "default/tick", new WorkflowDefinition("default",
                    "tick", 1, DefinitionFormat.YAML, definition, true, Instant.now()))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> slots(status.records).size() >= 1);
            workers.get(0).kill();
            Instant killedAt = Instant.now();
            // down until the next slot has passed: no worker runs to fire it on time
            Instant missed = slots(status.records).lastKey().plus(EVERY);
            await().pollDelay(Duration.ofMillis(100)).atMost(EVERY.plusSeconds(5))
                    .until(() -> Instant.now().isAfter(missed.plusSeconds(1)));
            workers.start(0);
            workers.awaitRunning();
            await().atMost(Duration.ofSeconds(90)).until(() -> slots(status.records).keySet().stream()
                    .filter(slot -> slot.isAfter(killedAt)).count() >= 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> terminal(status.records).keySet()
                    .containsAll(slots(status.records).values().stream().flatMap(List::stream).toList()));

            TreeMap<Instant, List<String>> slots = slots(status.records);
            long expected = Duration.between(slots.firstKey(), slots.lastKey()).dividedBy(EVERY) + 1;
            long duplicateFires = slots.values().stream().mapToLong(ids -> ids.size() - 1).sum();
            Instant lateSlot = slots.keySet().stream().filter(slot -> slot.isAfter(killedAt)).findFirst()
                    .orElseThrow();
            Instant lateStart = queuedAt(status.records, slots.get(lateSlot).get(0));
            // a restart slower than a slot (a loaded machine) leaves more than one slot passed while no worker ran:
            // the catch-up fires the last of them only (README, "Missed slots"), so the others are not missing
            Instant lastBeforeKill = slots.lowerKey(lateSlot);
            long passedUnseen = Duration.between(lastBeforeKill, lateSlot).dividedBy(EVERY) - 1;
            long missing = expected - slots.size() - passedUnseen;
            Map<String, List<ExecutionStatusChanged>> ends = terminal(status.records);
            long duplicateTerminals = ends.values().stream().mapToLong(e -> e.size() - 1).sum();
            long succeeded = ends.values().stream().filter(e -> e.get(0).getStatus().name().equals("SUCCEEDED"))
                    .count();
            System.out.printf("schedule-kill: every %s, the only worker killed with SIGKILL and restarted, %d slots "
                    + "from first fire to last, %d fired, %d missing, %d duplicate fires, %d terminal (%d "
                    + "succeeded), %d duplicate terminals, first slot after the kill started %.1f s late, %d slot(s) "
                    + "before it passed unseen (only the last fires)%n", EVERY, expected, slots.size(), missing,
                    duplicateFires, ends.size(), succeeded, duplicateTerminals,
                    Duration.between(lateSlot, lateStart).toMillis() / 1000.0, passedUnseen);
            assertThat(missing).as("every slot fired: %s", slots.keySet()).isZero();
            assertThat(lastBeforeKill.plus(EVERY.multipliedBy(passedUnseen))).as("a slot left out had passed before "
                    + "the catch-up fired").isBefore(lateStart);
            assertThat(duplicateFires).as("no slot fired twice").isZero();
            assertThat(duplicateTerminals).isZero();
            assertThat(succeeded).isEqualTo(slots.size());
            // the worker comes back at least a second after the slot it missed; when a slower restart let a later
            // slot pass as well, that later slot may have come due just before the restarted worker looked: not early
            if (passedUnseen == 0) {
                assertThat(Duration.between(lateSlot, lateStart)).as("the slot no worker saw fired late, at recovery")
                        .isGreaterThan(Duration.ofSeconds(1));
            } else {
                assertThat(lateStart).as("the slot fired at recovery, not before it was due").isAfterOrEqualTo(lateSlot);
            }
        }
    }

    /** Each slot fired, with the executions started for it (from their QUEUED events, which carry the slot). */
    private static TreeMap<Instant, List<String>> slots(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> e.getStatus().name().equals("QUEUED"))
                .filter(e -> e.getMetadata().containsKey("scheduledFor"))
                .collect(Collectors.groupingBy(e -> Instant.parse(e.getMetadata().get("scheduledFor")),
                        TreeMap::new, Collectors.mapping(ExecutionStatusChanged::getExecutionId,
                                Collectors.collectingAndThen(Collectors.toSet(), List::copyOf))));
    }

    private static Instant queuedAt(List<ExecutionStatusChanged> events, String executionId) {
        return events.stream().filter(e -> e.getExecutionId().equals(executionId))
                .filter(e -> e.getStatus().name().equals("QUEUED")).findFirst().orElseThrow().getOccurredAt();
    }

    private static Map<String, List<ExecutionStatusChanged>> terminal(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.getStatus().name()))
                .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId));
    }
}
