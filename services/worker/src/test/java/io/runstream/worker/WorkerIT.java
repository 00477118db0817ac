package io.runstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The worker on a real broker and registry: commands in, status events out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "spring.config.name=worker")
class WorkerIT {

    private static final Infrastructure infra = Infrastructure.shared();

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.kafka.config.StreamsBuilderFactoryBean streams;
    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final List<ExecutionStatusChanged> events = new CopyOnWriteArrayList<>();
    private static final List<ExecutionTaskEnded> steps = new CopyOnWriteArrayList<>();
    private static final List<ExecutionCommandDecided> outcomes = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;
    private static Thread reader;
    private static Thread stepReader;
    private static Thread outcomeReader;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry props) throws Exception {
        infra.springProperties(null).forEach((k, v) -> props.add(k, () -> v));
        String stateDir = Files.createTempDirectory("worker-it-state").toString();
        props.add("spring.kafka.streams.state-dir", () -> stateDir);
    }

    @BeforeAll
    static void readStatusAndSteps() {
        reader = read("runstream.executions.status", ExecutionStatusChanged.class, events);
        stepReader = read("runstream.executions.tasks", ExecutionTaskEnded.class, steps);
        outcomeReader = read("runstream.executions.control-outcomes", ExecutionCommandDecided.class, outcomes);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> Thread read(String topic, Class<T> type,
            List<T> into) {
        Thread thread = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    "bootstrap.servers", infra.kafkaBootstrapServers(), "group.id", "worker-it-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                    new StringDeserializer(), new AvroDeserializer<>(registry, type))) {
                while (reading) {
                    if (consumer.subscription().isEmpty()) {
                        consumer.subscribe(List.of(topic));
                    }
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> into.add(r.value()));
                }
            }
        });
        thread.start();
        return thread;
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        reading = false;
        reader.join();
        stepReader.join();
        outcomeReader.join();
    }

    private static void stop(String id, String reason) throws Exception {
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionStopRequested>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.stops", id,
                    new ExecutionStopRequested(id, "default", reason, Instant.now()))).get();
        }
    }

    private static void send(String key, Object value, boolean raw) throws Exception {
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        if (raw) {
            try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("runstream.executions.commands", key, (byte[]) value)).get();
            }
        } else {
            try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                    new AvroSerializer<ExecutionRequested>(registry))) {
                producer.send(new ProducerRecord<>("runstream.executions.commands", key, (ExecutionRequested) value))
                        .get();
            }
        }
    }

    static final String DEFINITION = """
            document: {dsl: "1.0.0", namespace: test, name: demo, version: "0.1.0"}
            do:
              - check:
                  if: ${ .raise != null }
                  raise:
                    error:
                      type: https://example.com/errors/refused
                      status: 422
                      title: Refused
                      detail: ${ .raise }
              - total:
                  set:
                    total: ${ .x * 10 }
            """;

    private static ExecutionRequested request(String id, String input) {
        return request(id, input, DEFINITION);
    }

    private static ExecutionRequested request(String id, String input, String definition) {
        return ExecutionRequested.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setWorkflowVersion(1).setDefinition(definition)
                .setInputJson(input).setRequestedAt(Instant.now()).build();
    }

    private static List<ExecutionTaskEnded> stepsOf(String id) {
        return steps.stream().filter(e -> e.getExecutionId().equals(id)).toList();
    }

    private static ExecutionStatusChanged last(String id) {
        List<ExecutionStatusChanged> all = eventsOf(id);
        assertThat(all).as("status events of %s", id).isNotEmpty();
        return all.get(all.size() - 1);
    }

    private static List<ExecutionStatusChanged> eventsOf(String id) {
        return events.stream().filter(e -> e.getExecutionId().equals(id)).toList();
    }

    @Test
    void shouldRunARequestedExecutionToSucceeded() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, request(id, "{\"x\":1}"), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventsOf(id))
                .extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED));
        assertThat(eventsOf(id)).extracting(ExecutionStatusChanged::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(eventsOf(id).get(2).getOutputJson()).isEqualTo("{\"total\":10}");
    }

    @Test
    void shouldPublishOneTaskStepPerTask() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, request(id, "{\"x\":1}"), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(stepsOf(id))
                .extracting(ExecutionTaskEnded::getPosition, s -> s.getStatus().name())
                .containsExactly(tuple("/do/0/check", "SKIPPED"), tuple("/do/1/total", "COMPLETED")));
        assertThat(stepsOf(id)).allSatisfy(step -> {
            assertThat(step.getAttempt()).isEqualTo(1);
            assertThat(step.getEndedAt()).isAfterOrEqualTo(step.getStartedAt());
        });
    }

    @Test
    void shouldCancelARunInTheMiddleOfAWaitWhenStopped() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, request(id, "{}", """
                document: {dsl: "1.0.0", namespace: test, name: long, version: "0.1.0"}
                do:
                  - pause:
                      wait: PT1H
                """), false);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventsOf(id))
                .extracting(ExecutionStatusChanged::getStatus).contains(ExecutionStatus.RUNNING));

        stop(id, "no longer needed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(last(id).getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(last(id).getError().getMessage()).isEqualTo("no longer needed");
            assertThat(stepsOf(id)).as("the wait was cancelled").singleElement()
                    .satisfies(step -> assertThat(step.getStatus().name()).isEqualTo("CANCELLED"));
        });
    }

    /**
     * A stop sent after its execution's start was accepted but read by the worker before it (here the start waits in
     * an open transaction, which a read_committed reader does not see yet) is held, not answered as for an unknown
     * execution, and applied once the start is read. The worker takes its inputs in the order it reads them, not
     * waiting for its other topics (max.task.idle.ms -1), and relies on this.
     */
    @Test
    void shouldHoldAStopReadBeforeItsStartAndApplyItWhenTheStartIsRead() throws Exception {
        String id = UUID.randomUUID().toString();
        String commandId = UUID.randomUUID().toString();
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all",
                "transactional.id", "worker-it-start-" + id);
        try (var starts = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            starts.initTransactions();
            starts.beginTransaction();
            starts.send(new ProducerRecord<>("runstream.executions.commands", id, request(id, "{}", """
                    document: {dsl: "1.0.0", namespace: test, name: long, version: "0.1.0"}
                    do:
                      - pause:
                          wait: PT1H
                    """))).get();
            control(ExecutionCommandRequested.newBuilder().setCommandId(commandId).setExecutionId(id)
                    .setTenant("default").setCommand(ExecutionCommandType.STOP).setReason("changed my mind")
                    .setRequestedAt(Instant.now()).build());

            // the worker read the stop and holds it: the barrier it sent waits on the start's partition, behind it
            await().atMost(Duration.ofSeconds(30)).until(() -> barrierSentFor(id));
            assertThat(outcomes).as("nothing decided while the start is unread")
                    .noneMatch(o -> o.getCommandId().equals(commandId));
            starts.commitTransaction();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(outcomes).filteredOn(o -> o.getCommandId().equals(commandId)).singleElement()
                    .satisfies(o -> {
                        assertThat(o.getAccepted()).as("accepted, not EXECUTION_NOT_FOUND: %s", o).isTrue();
                        assertThat(o.getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
                    });
            assertThat(last(id).getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(last(id).getError().getMessage()).isEqualTo("changed my mind");
        });
    }

    private static void control(ExecutionCommandRequested command) throws Exception {
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionCommandRequested>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.control", command.getExecutionId(), command))
                    .get();
        }
    }

    /** Whether a barrier for the execution is on the commands topic, committed or not. */
    private static boolean barrierSentFor(String executionId) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "worker-it-barriers-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "isolation.level", "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("runstream.executions.commands"));
            long until = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (executionId.equals(record.key()) && record.value() == null
                            && record.headers().lastHeader("runstream-starts-barrier") != null) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    @Test
    void shouldEndTimedOutAboutASecondIntoAFiveSecondWait() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, request(id, "{}", """
                document: {dsl: "1.0.0", namespace: test, name: slow, version: "0.1.0"}
                timeout:
                  after: PT1S
                do:
                  - pause:
                      wait: PT5S
                """), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(id).getStatus())
                .isEqualTo(ExecutionStatus.TIMED_OUT));
        ExecutionStatusChanged running = eventsOf(id).stream()
                .filter(e -> e.getStatus() == ExecutionStatus.RUNNING).findFirst().orElseThrow();
        assertThat(Duration.between(running.getOccurredAt(), last(id).getOccurredAt()))
                .isBetween(Duration.ofMillis(900), Duration.ofMillis(4500));
        assertThat(last(id).getError().getCode()).isEqualTo("WORKFLOW_TIMEOUT");
    }

    @Test
    void shouldFailAnExecutionWhoseWorkflowRaises() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, request(id, "{\"raise\":\"card declined\",\"x\":1}"), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventsOf(id))
                .extracting(ExecutionStatusChanged::getStatus).endsWith(ExecutionStatus.FAILED));
        var failed = eventsOf(id).get(eventsOf(id).size() - 1);
        assertThat(failed.getError().getCode()).isEqualTo("WORKFLOW_ERROR");
        assertThat(failed.getError().getMessage()).startsWith("Refused: card declined (status 422")
                .contains("/do/0/check");
    }

    @Test
    void shouldFailClearlyWhenARequestNamesAWorkflowThatIsNotDefined() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, ExecutionRequested.newBuilder(request(id, "{}")).setWorkflowId("nowhere-" + id)
                .setWorkflowVersion(null).setDefinition(null).build(), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventsOf(id))
                .extracting(ExecutionStatusChanged::getStatus).endsWith(ExecutionStatus.FAILED));
        assertThat(last(id).getError().getCode()).isEqualTo("WORKFLOW_NOT_FOUND");
    }

    @Test
    void shouldRunTheCatalogVersionWhenAProducerSendsOnlyTheWorkflowId() throws Exception {
        String workflowId = "catalogued-" + UUID.randomUUID();
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<WorkflowDefinition>(registry))) {
            producer.send(new ProducerRecord<>("runstream.workflows", "default/" + workflowId,
                    new WorkflowDefinition("default", workflowId, 4, DefinitionFormat.YAML, DEFINITION, true,
                            Instant.now()))).get();
        }
        // The global catalog store is updated by its own thread: until it has the workflow, a request is rejected
        // with WORKFLOW_NOT_FOUND, so a new execution is started until one runs.
        var current = new java.util.concurrent.atomic.AtomicReference<String>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String attempt = current.get();
            if (attempt == null || eventsOf(attempt).stream().anyMatch(e -> e.getError() != null
                    && e.getError().getCode().equals("WORKFLOW_NOT_FOUND"))) {
                attempt = UUID.randomUUID().toString();
                current.set(attempt);
                send(attempt, ExecutionRequested.newBuilder(request(attempt, "{\"x\":3}")).setWorkflowId(workflowId)
                        .setWorkflowVersion(null).setDefinition(null).build(), false);
            }
            assertThat(last(attempt).getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        });
        String id = current.get();
        assertThat(last(id).getOutputJson()).isEqualTo("{\"total\":30}");
    }

    @Test
    void shouldCallHttpWithAnIdempotencyKeyOnceAndWaitDurablyBetweenCalls() throws Exception {
        try (io.runstream.testkit.HttpStub stub = new io.runstream.testkit.HttpStub()) {
            String id = UUID.randomUUID().toString();
            send(id, request(id, "{}", """
                    document: {dsl: "1.0.0", namespace: test, name: charge, version: "0.1.0"}
                    do:
                      - charge:
                          call: http
                          with: {method: post, endpoint: "%1$s/ok/charge-%2$s", body: {amount: 5}}
                      - pause:
                          wait: {milliseconds: 500}
                      - notify:
                          call: http
                          with: {method: post, endpoint: "%1$s/ok/notify-%2$s"}
                      - done:
                          set: '${ {notified: .ok} }'
                    """.formatted(stub.baseUrl(), id)), false);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(id).getStatus())
                    .isEqualTo(ExecutionStatus.SUCCEEDED));
            assertThat(last(id).getOutputJson()).isEqualTo("{\"notified\":true}");
            assertThat(stub.idempotencyKeys("/ok/charge-" + id)).singleElement().asString().startsWith(id + "/");
            assertThat(stub.idempotencyKeys("/ok/notify-" + id)).singleElement().asString().startsWith(id + "/")
                    .isNotEqualTo(stub.idempotencyKeys("/ok/charge-" + id).get(0));
            // The steps topic is read by its own consumer: the wait's step may arrive after the terminal status.
            ExecutionTaskEnded pause = await().atMost(Duration.ofSeconds(30)).until(() -> stepsOf(id).stream()
                    .filter(s -> s.getName().equals("pause")).findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(Duration.between(pause.getStartedAt(), pause.getEndedAt()))
                    .isBetween(Duration.ofMillis(500), Duration.ofMillis(3_000));
        }
    }

    /** An execution id that the default partitioner puts on partition 0 of the 6-partition topics. */
    private static String onPartitionZero() {
        while (true) {
            String id = UUID.randomUUID().toString();
            byte[] key = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % 6
                    == 0) {
                return id;
            }
        }
    }

    @Test
    void shouldFailRunawayExecutionsClearlyWhileTheirPartitionKeepsServingTheOthers() throws Exception {
        String wait = """
                document: {dsl: "1.0.0", namespace: test, name: normal, version: "0.1.0"}
                do:
                  - nap:
                      wait: PT2S
                  - done:
                      set: {ok: true}
                """;
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("until", "set: '${ until(false; .) }'");
        bad.put("last", "set: '${ last(range(1e12)) }'");
        bad.put("array", "set: '${ [range(1e9)] }'");
        Map<String, String> runaway = new java.util.LinkedHashMap<>();
        bad.forEach((name, task) -> runaway.put(name, """
                document: {dsl: "1.0.0", namespace: test, name: %s, version: "0.1.0"}
                do:
                  - runaway:
                      %s
                """.formatted(name, task)));
        runaway.put("big", """
                document: {dsl: "1.0.0", namespace: test, name: big, version: "0.1.0"}
                do:
                  - runaway:
                      for: {in: '${ [range(1000000)] }'}
                      do:
                        - s:
                            set: {}
                """);
        runaway.put("spin", """
                document: {dsl: "1.0.0", namespace: test, name: spin, version: "0.1.0"}
                do:
                  - inc:
                      set: '${ {n: ((.n // 0) + 1)} }'
                  - again:
                      switch:
                        - more:
                            when: ${ .n < 1000000 }
                            then: inc
                """);
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        List<String> normal = new java.util.ArrayList<>();
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            for (var entry : runaway.entrySet()) {
                String id = onPartitionZero();
                ids.put(entry.getKey(), id);
                producer.send(new ProducerRecord<>("runstream.executions.commands", id,
                        request(id, "{}", entry.getValue())));
            }
            for (int i = 0; i < 100; i++) {
                String id = onPartitionZero();
                normal.add(id);
                producer.send(new ProducerRecord<>("runstream.executions.commands", id, request(id, "{}", wait)));
            }
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String id : normal) {
                assertThat(last(id).getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
            }
            ids.forEach((name, id) -> assertThat(last(id).getStatus()).as(name).isEqualTo(ExecutionStatus.FAILED));
        });
        for (String id : normal) {
            ExecutionStatusChanged running = eventsOf(id).stream().filter(e -> e.getStatus() == ExecutionStatus.RUNNING)
                    .findFirst().orElseThrow();
            assertThat(Duration.between(running.getOccurredAt(), last(id).getOccurredAt())).as("on time")
                    .isLessThan(Duration.ofSeconds(12));
        }
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        ids.forEach((name, id) -> codes.put(name, last(id).getError().getCode()));
        assertThat(codes).containsEntry("until", "WORKFLOW_ERROR").containsEntry("last", "WORKFLOW_ERROR")
                .containsEntry("array", "WORKFLOW_ERROR").containsEntry("big", "PROGRESS_TOO_LARGE")
                .containsEntry("spin", "STEP_LIMIT_EXCEEDED");
        assertThat(last(ids.get("until")).getError().getMessage()).contains("recursed too deeply");
        assertThat(last(ids.get("last")).getError().getMessage()).contains("values from range");
        assertThat(streams.getKafkaStreams().state().isRunningOrRebalancing()).as("no restarts").isTrue();
        assertThat(meters.find("runstream.worker.streams.failures").counters()).as("no thread replaced, no restart")
                .allSatisfy(counter -> assertThat(counter.count()).isZero()).isNotEmpty();
        assertThat(streams.getKafkaStreams().metadataForLocalThreads()).as("the stream thread never died")
                .allSatisfy(thread -> assertThat(thread.threadName()).endsWith("StreamThread-1"));
    }

    @Test
    void shouldIgnoreDuplicatesAndKeepGoingAfterAPoisonRecord() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, "garbage".getBytes(), true);
        send(id, request(id, "{\"x\":2}"), false);
        send(id, request(id, "{\"x\":2}"), false);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventsOf(id))
                .extracting(ExecutionStatusChanged::getStatus).contains(ExecutionStatus.SUCCEEDED));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(eventsOf(id)).hasSize(3));
    }
}
