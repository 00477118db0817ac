package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Subflows through a real crash: parents each wait on five children, which wait in their turn; one of two worker
 * JVMs is killed with SIGKILL while the children wait. Every child must have been started once (one id per task of
 * its parent, one QUEUED each), every child must end once, and every parent must resume once: the task after its
 * children runs once and it succeeds with their outputs.
 */
class SubflowCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final int PARENTS = 20;
    private static final List<String> LEGS = List.of("a", "b", "c", "d", "e");
    private static final Duration NAP = Duration.ofSeconds(6);

    private static final String PARENT = """
            document: {dsl: "1.0.0", namespace: crash, name: order, version: "0.1.0"}
            do:
              - legs:
                  fork:
                    branches:
            %s
              - resumed:
                  set: '${ {legs: [.[].leg]} }'
            """.formatted(LEGS.stream().map(leg -> "              - " + leg + ": {run: {workflow: {namespace: crash, "
            + "name: leg, version: latest, input: {leg: " + leg + "}}}}").collect(Collectors.joining("\n")));
    private static final String LEG = """
            document: {dsl: "1.0.0", namespace: crash, name: leg, version: "1.0.0"}
            do:
              - nap:
                  wait: %s
              - done:
                  set: '${ {leg: .leg} }'
            """.formatted(NAP);

    @Test
    void shouldStartEachChildOnceAndResumeEachParentOnceAcrossAWorkerKill() throws Exception {
        String app = "subflow-kill-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(WorkerCrashIT.settings(app));
        settings.put("runstream.worker.schedules.max-starts-per-second", "1000");
        settings.put("spring.kafka.streams.properties.session.timeout.ms", "6000");
        settings.put("spring.kafka.streams.properties.heartbeat.interval.ms", "1000");
        try (var workers = new WorkerCrashIT.Workers(app, settings);
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class);
                var tasks = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".tasks",
                        ExecutionTaskEnded.class)) {
            workers.start(0);
            workers.start(1);
            workers.awaitRunning();
            List<String> parents = start(app);

            await().atMost(Duration.ofSeconds(90)).until(() -> children(status.records, parents).size()
                    == PARENTS * LEGS.size());
            Instant killedAt = Instant.now();
            workers.get(0).kill();
            await().atMost(Duration.ofSeconds(180)).until(() -> terminal(status.records).keySet()
                    .containsAll(parents));
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

            Figures figures = new Figures(parents, List.copyOf(status.records), List.copyOf(tasks.records),
                    killedAt);
            figures.print();
            figures.assertEachStartedOnceAndEachParentResumedOnce();
        }
    }

    private static List<String> start(String app) throws Exception {
        List<String> parents = new ArrayList<>();
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var catalog = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<WorkflowDefinition>(registry));
                var commands = new KafkaProducer<>(props, new StringSerializer(),
                        new AvroSerializer<ExecutionRequested>(registry))) {
            catalog.send(new ProducerRecord<>(app + ".workflows", "default/leg", new WorkflowDefinition("default",
                    "leg", 1, DefinitionFormat.YAML, LEG, true, Instant.now()))).get();
            // the workers' catalog is a global store: give it the leg before any parent looks for it
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            for (int i = 0; i < PARENTS; i++) {
                String id = UUID.randomUUID().toString();
                parents.add(id);
                commands.send(new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder()
                        .setExecutionId(id).setTenant("default").setWorkflowId("order").setWorkflowVersion(1)
                        .setDefinition(PARENT).setInputJson("{}").setRequestedAt(Instant.now()).build()));
            }
            commands.flush();
        }
        return parents;
    }

    /** The QUEUED events of the parents' children, by child id. */
    private static Map<String, List<ExecutionStatusChanged>> children(List<ExecutionStatusChanged> events,
            List<String> parents) {
        Set<String> mine = Set.copyOf(parents);
        return events.stream().filter(e -> e.getStatus().name().equals("QUEUED"))
                .filter(e -> e.getParentExecutionId() != null && mine.contains(e.getParentExecutionId()))
                .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId));
    }

    private static Map<String, List<ExecutionStatusChanged>> terminal(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.getStatus().name()))
                .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId));
    }

    /** What a user would count after the kill. */
    private static final class Figures {

        final int children;
        final long missingChildren;
        final long startedTwice;
        final long childTerminals;
        final long duplicateTerminals;
        final long parentsSucceeded;
        final long resumedOnce;
        final long completedStepsRerun;
        final Duration slowest;

        Figures(List<String> parents, List<ExecutionStatusChanged> status, List<ExecutionTaskEnded> tasks,
                Instant killedAt) {
            Map<String, List<ExecutionStatusChanged>> queued = children(status, parents);
            children = queued.size();
            Map<String, Long> perParent = queued.values().stream().collect(Collectors.groupingBy(
                    q -> q.get(0).getParentExecutionId(), Collectors.counting()));
            missingChildren = parents.stream().mapToLong(p -> LEGS.size() - perParent.getOrDefault(p, 0L)).sum();
            startedTwice = queued.values().stream().filter(q -> q.size() > 1).count();
            Map<String, List<ExecutionStatusChanged>> ends = terminal(status);
            childTerminals = queued.keySet().stream().filter(ends::containsKey).count();
            duplicateTerminals = ends.values().stream().mapToLong(e -> e.size() - 1).sum();
            parentsSucceeded = parents.stream().filter(p -> ends.containsKey(p)).map(p -> ends.get(p).get(0))
                    .filter(e -> e.getStatus().name().equals("SUCCEEDED")
                            && e.getOutputJson().equals("{\"legs\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}")).count();
            Map<String, Long> resumed = tasks.stream().filter(t -> t.getName().equals("resumed"))
                    .collect(Collectors.groupingBy(ExecutionTaskEnded::getExecutionId, Collectors.counting()));
            resumedOnce = parents.stream().filter(p -> resumed.getOrDefault(p, 0L) == 1).count();
            completedStepsRerun = tasks.stream().filter(t -> t.getStatus().name().equals("COMPLETED"))
                    .collect(Collectors.groupingBy(t -> t.getExecutionId() + t.getPosition(), Collectors.counting()))
                    .values().stream().mapToLong(n -> n - 1).sum();
            slowest = tasks.stream().filter(t -> t.getName().equals("nap"))
                    .filter(t -> t.getStartedAt().plus(NAP).isAfter(killedAt))
                    .map(t -> Duration.between(t.getStartedAt().plus(NAP), t.getEndedAt()))
                    .max(Duration::compareTo).orElse(Duration.ZERO);
        }

        void print() {
            System.out.printf("subflow-kill: %d parents with %d awaited children each, one of 2 workers killed with "
                    + "SIGKILL while the children waited, %d children started (%d missing, %d started twice), %d "
                    + "ended (%d duplicate terminals), %d parents succeeded with every child's output, %d resumed "
                    + "once, %d completed steps re-run, slowest child wait ended %.1f s after it was due%n", PARENTS,
                    LEGS.size(), children, missingChildren, startedTwice, childTerminals, duplicateTerminals,
                    parentsSucceeded, resumedOnce, completedStepsRerun, slowest.toMillis() / 1000.0);
        }

        void assertEachStartedOnceAndEachParentResumedOnce() {
            assertThat(children).as("every child started").isEqualTo(PARENTS * LEGS.size());
            assertThat(missingChildren).isZero();
            assertThat(startedTwice).as("no child started twice").isZero();
            assertThat(childTerminals).as("every child ended").isEqualTo(children);
            assertThat(duplicateTerminals).as("each execution ended once").isZero();
            assertThat(parentsSucceeded).as("every parent went on with its children's outputs").isEqualTo(PARENTS);
            assertThat(resumedOnce).as("every parent resumed once").isEqualTo(PARENTS);
            assertThat(completedStepsRerun).as("no completed step ran again").isZero();
            assertThat(slowest).as("waits end at their due time plus the takeover").isLessThan(Duration.ofSeconds(30));
        }
    }
}
