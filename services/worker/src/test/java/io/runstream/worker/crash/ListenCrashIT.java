package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionPhase;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Correlation through real crashes: executions listen, each for its own key, while events for them are written to the
 * event log as any producer would (the CloudEvents Kafka binding), some twice, and a worker JVM is killed with
 * SIGKILL in the middle. Each execution must consume exactly its own events, each once; and the correlation index
 * must hold no listen of an execution whose listens ended, however they ended.
 */
class ListenCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXECUTIONS = 200;
    private static final int DUPLICATES = 20;
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    /** Two listens in a row on one key: the second must not be given the first's event again, nor its duplicate. */
    private static final String SETTLE = """
            document: {dsl: "1.0.0", namespace: crash, name: settle, version: "0.1.0"}
            do:
              - first:
                  listen:
                    to:
                      one:
                        with: {type: payment.settled}
                        correlate:
                          key: {from: .data.key, expect: '${ .id }'}
                    read: envelope
                  export:
                    as: '{first: [.[].id]}'
              - second:
                  listen:
                    to:
                      one:
                        with: {type: payment.settled}
                        correlate:
                          key: {from: .data.key, expect: '${ $workflow.input.id }'}
                    read: envelope
                  output:
                    as: '$context + {second: [.[].id]}'
            """;

    @Test
    void shouldConsumeEachEventOnceWhenAWorkerIsKilledDuringCorrelation() throws Exception {
        String app = "listen-kill-" + UUID.randomUUID().toString().substring(0, 8);
        try (var workers = new WorkerCrashIT.Workers(app, WorkerCrashIT.settings(app));
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class);
                var commands = commands(); var events = events()) {
            workers.start(0);
            workers.start(1);
            workers.awaitRunning();
            List<String> ids = start(commands, app, SETTLE, EXECUTIONS);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(waiting(status.records))
                    .as("listening, among %d status events: %s", status.records.size(), status.records.stream()
                            .map(e -> e.getStatus() + "/" + e.getPhase()).collect(Collectors.groupingBy(x -> x,
                                    Collectors.counting()))).containsAll(ids));

            int sent = 0;
            for (int i = 0; i < EXECUTIONS; i++) {
                if (i == EXECUTIONS / 2) {
                    events.flush();
                    workers.get(0).kill();
                }
                send(events, app, "payment.settled", ids.get(i), ids.get(i) + "-1");
                sent++;
                if (i % (EXECUTIONS / DUPLICATES) == 0) {
                    send(events, app, "payment.settled", ids.get(i), ids.get(i) + "-1");
                    sent++;
                }
            }
            Instant killedAt = Instant.now();
            // the second events, which most second listens have not opened for yet: kept for them
            for (String id : ids) {
                send(events, app, "payment.settled", id, id + "-2");
                sent++;
            }
            events.flush();

            await().atMost(Duration.ofSeconds(180)).until(() -> terminal(status.records).keySet().containsAll(ids));
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            Map<String, List<ExecutionStatusChanged>> ends = terminal(status.records);
            long duplicateTerminals = ends.values().stream().mapToLong(e -> e.size() - 1).sum();
            long succeeded = ends.values().stream().filter(e -> e.get(0).getStatus().name().equals("SUCCEEDED"))
                    .count();
            int wrong = 0;
            int twice = 0;
            for (String id : ids) {
                JsonNode output = JSON.readTree(ends.get(id).get(0).getOutputJson() == null ? "{}"
                        : ends.get(id).get(0).getOutputJson());
                List<String> consumed = new ArrayList<>();
                output.path("first").forEach(n -> consumed.add(n.asText()));
                output.path("second").forEach(n -> consumed.add(n.asText()));
                if (!consumed.equals(List.of(id + "-1", id + "-2"))) {
                    wrong++;
                }
                twice += consumed.size() - (int) consumed.stream().distinct().count();
            }
            Instant lastEnd = ends.values().stream().map(e -> e.get(0).getOccurredAt()).max(Instant::compareTo)
                    .orElseThrow();
            System.out.printf("listen-kill: %d listening, %d events sent (%d duplicates), a worker killed with "
                    + "SIGKILL mid-way, %d terminal (%d succeeded), %d duplicate terminals, %d consumed other than "
                    + "their own two events, %d consumed twice, kill to last terminal %.1f s%n", EXECUTIONS, sent,
                    DUPLICATES, ends.size(), succeeded, duplicateTerminals, wrong, twice,
                    Duration.between(killedAt, lastEnd).toMillis() / 1000.0);
            assertThat(ends.keySet()).containsAll(ids);
            assertThat(succeeded).as("every execution succeeded").isEqualTo(EXECUTIONS);
            assertThat(duplicateTerminals).isZero();
            assertThat(wrong).as("each consumed its own first and second event, in order").isZero();
            assertThat(twice).isZero();
        }
    }

    @Test
    void shouldLeaveNoListenInTheIndexHoweverListensEnd() throws Exception {
        String app = "listen-closed-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(WorkerCrashIT.settings(app));
        settings.put("runstream.worker.redrive-window", "1h");
        String ways = """
                document: {dsl: "1.0.0", namespace: closed, name: ways, version: "0.1.0"}
                do:
                  - hear:
                      listen:
                        to:
                          one:
                            with: {type: way.event}
                            correlate:
                              key: {from: .data.key, expect: '${ .id }'}
                      timeout:
                        after: @timeout@
                  - check:
                      if: '${ $workflow.input.way == "fail" or $workflow.input.way == "redrive" }'
                      raise:
                        error: {type: https://example.com/failed, status: 500}
                """;
        try (var workers = new WorkerCrashIT.Workers(app, settings);
                var status = new TopicTail<>(infra.kafkaBootstrapServers(), registry, app + ".status",
                        ExecutionStatusChanged.class);
                var commands = commands(); var events = events()) {
            workers.start(0);
            workers.awaitRunning();
            Map<String, List<String>> byWay = new HashMap<>();
            List<String> all = new ArrayList<>();
            for (String way : List.of("matched", "timeout", "stop", "fail", "redrive")) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = UUID.randomUUID().toString();
                    ids.add(id);
                    commands.send(new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder()
                            .setExecutionId(id).setTenant("default").setWorkflowId("ways").setWorkflowVersion(1)
                            .setDefinition(ways.replace("@timeout@", way.equals("timeout") ? "PT2S" : "PT10M"))
                            .setInputJson("{\"id\":\"" + id + "\",\"way\":\"" + way + "\"}")
                            .setRequestedAt(Instant.now()).build()));
                }
                byWay.put(way, ids);
                all.addAll(ids);
            }
            commands.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> waiting(status.records).containsAll(all));
            for (String way : List.of("matched", "fail", "redrive")) {
                byWay.get(way).forEach(id -> send(events, app, "way.event", id, id + "-1"));
            }
            events.flush();
            for (String id : byWay.get("stop")) {
                commands.send(new ProducerRecord<>(app + ".control", id, command(id, ExecutionCommandType.STOP)));
            }
            commands.flush();
            // the failed ones are redriven: the listen ran before the failure, so they fail again, and close again
            await().atMost(Duration.ofSeconds(60)).until(() -> terminal(status.records).keySet().containsAll(all));
            for (String id : byWay.get("redrive")) {
                commands.send(new ProducerRecord<>(app + ".control", id, command(id, ExecutionCommandType.REDRIVE)));
            }
            commands.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> byWay.get("redrive").stream()
                    .allMatch(id -> terminal(status.records).getOrDefault(id, List.of()).size() == 2));

            Map<String, String> ended = new HashMap<>();
            terminal(status.records).forEach((id, e) -> ended.put(id, e.get(e.size() - 1).getStatus().name()));
            String changelog = app + "-correlation-listens-changelog";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(index(changelog).open())
                    .as("listens open in the index").isZero());
            Index index = index(changelog);
            System.out.printf("listen-closed: 100 listens ended (20 matched, 20 timed out, 20 stopped, 20 failed, "
                    + "20 matched then failed, redriven and failed again), %d opened in the index, %d open after%n",
                    index.keys(), index.open());
            long opened = index.keys();
            assertThat(byWay.get("matched")).allMatch(id -> ended.get(id).equals("SUCCEEDED"));
            assertThat(byWay.get("timeout")).allMatch(id -> ended.get(id).equals("TIMED_OUT"));
            assertThat(byWay.get("stop")).allMatch(id -> ended.get(id).equals("CANCELLED"));
            assertThat(byWay.get("fail")).allMatch(id -> ended.get(id).equals("FAILED"));
            assertThat(byWay.get("redrive")).allMatch(id -> ended.get(id).equals("FAILED"));
            assertThat(opened).as("every listen reached the index").isGreaterThanOrEqualTo(100);
        }
    }

    /** The index as its changelog has it: how many listen keys it ever held, and how many it holds now. */
    private record Index(long keys, long open) {
    }

    /** Reads the index's changelog (read_committed) to its end: a key is open when its latest record is not a delete. */
    private static Index index(String changelog) {
        Map<String, Boolean> present = new HashMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", infra.kafkaBootstrapServers(), "group.id", "index-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(changelog).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(changelog, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> present.put(r.key(), r.value() != null));
            }
        }
        return new Index(present.size(), present.values().stream().filter(v -> v).count());
    }

    private static KafkaProducer<String, SpecificRecord> commands() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all"),
                new StringSerializer(), new AvroSerializer<>(registry));
    }

    private static KafkaProducer<String, byte[]> events() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static List<String> start(KafkaProducer<String, SpecificRecord> producer, String app, String definition,
            int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            producer.send(new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder()
                    .setExecutionId(id).setTenant("default").setWorkflowId("settle").setWorkflowVersion(1)
                    .setDefinition(definition).setInputJson("{\"id\":\"" + id + "\"}").setRequestedAt(Instant.now())
                    .build()));
        }
        producer.flush();
        return ids;
    }

    /** An event for one key, as any producer writes it: the CloudEvents Kafka binding, binary mode. */
    private static void send(KafkaProducer<String, byte[]> producer, String app, String type, String key,
            String eventId) {
        CloudEvent event = CloudEventBuilder.v1().withId(eventId).withSource(URI.create("/payments")).withType(type)
                .withExtension("runstreamtenant", "default").withDataContentType("application/json")
                .withData(("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8)).build();
        producer.send(KafkaMessageFactory.createWriter(app + ".events", key).writeBinary(event));
    }

    private static ExecutionCommandRequested command(String id, ExecutionCommandType type) {
        return ExecutionCommandRequested.newBuilder().setCommandId(UUID.randomUUID().toString()).setExecutionId(id)
                .setTenant("default").setCommand(type).setRequestedAt(Instant.now()).build();
    }

    private static Set<String> waiting(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> e.getPhase() == ExecutionPhase.WAITING)
                .map(ExecutionStatusChanged::getExecutionId).collect(Collectors.toSet());
    }

    private static Map<String, List<ExecutionStatusChanged>> terminal(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.getStatus().name()))
                .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId));
    }
}
