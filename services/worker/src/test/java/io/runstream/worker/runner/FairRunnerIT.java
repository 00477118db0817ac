package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 18, finding 4: one tenant's calls that hang must not starve another's. A runner of 8 slots (2 reserved)
 * on a real broker and registry, with topics of its own; tenant A forks 12 calls to a callee that sends a byte a
 * second and never finishes, tenant B makes one call to a quick one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"spring.config.name=worker",
        "runstream.worker.activities.max-in-flight=8", "runstream.worker.activities.reserved-slots=2",
        "runstream.worker.activities.lease=60s", "runstream.worker.http.connect-timeout=2s",
        "runstream.worker.http.response-timeout=3s", "runstream.worker.http.call-timeout=15s",
        "spring.kafka.streams.application-id=fair-runner-it", "spring.kafka.consumer.group-id=fair-runner-it-runner"})
class FairRunnerIT {

    private static final String PREFIX = "fair-runner-it.";
    private static final int CALLS = 12;
    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final List<ExecutionStatusChanged> events = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;
    private static Thread reader;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry props) throws Exception {
        infra.springProperties(null).forEach((k, v) -> props.add(k, () -> v));
        String stateDir = Files.createTempDirectory("fair-runner-it-state").toString();
        props.add("spring.kafka.streams.state-dir", () -> stateDir);
        for (String topic : List.of("commands", "stops", "control", "control-outcomes", "workflows", "status",
                "tasks", "dispatch", "cancels", "reports", "continuations", "dead-letter", "runner-dead-letter", "crashes")) {
            props.add("runstream.worker.topics." + topic, () -> PREFIX + topic);
        }
    }

    @BeforeAll
    static void readStatus() {
        reader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    "bootstrap.servers", infra.kafkaBootstrapServers(), "group.id", "fair-it-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed",
                    "metadata.max.age.ms", "1000"),
                    new StringDeserializer(), new AvroDeserializer<>(registry, ExecutionStatusChanged.class))) {
                consumer.subscribe(List.of(PREFIX + "status"));
                while (reading) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> events.add(r.value()));
                }
            }
        });
        reader.start();
    }

    @AfterAll
    static void stopReading() throws InterruptedException {
        reading = false;
        reader.join();
    }

    private static void start(String id, String tenant, String definition) throws Exception {
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            producer.send(new ProducerRecord<>(PREFIX + "commands", id, ExecutionRequested.newBuilder()
                    .setExecutionId(id).setTenant(tenant).setWorkflowId("fair").setWorkflowVersion(1)
                    .setDefinition(definition).setInputJson("{}").setRequestedAt(Instant.now()).build())).get();
        }
    }

    private static void stop(String id, String tenant) throws Exception {
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionCommandRequested>(registry))) {
            producer.send(new ProducerRecord<>(PREFIX + "control", id, ExecutionCommandRequested.newBuilder()
                    .setCommandId(UUID.randomUUID().toString()).setExecutionId(id).setTenant(tenant)
                    .setCommand(ExecutionCommandType.STOP).setReason("enough").setRequestedAt(Instant.now())
                    .build())).get();
        }
    }

    private static ExecutionStatusChanged last(String id) {
        List<ExecutionStatusChanged> of = events.stream().filter(e -> e.getExecutionId().equals(id)).toList();
        assertThat(of).as("status events of %s", id).isNotEmpty();
        return of.get(of.size() - 1);
    }

    /** A fork of {@code CALLS} branches, each a call to {@code url} whose failure is caught as its status. */
    private static String slowFork(String url) {
        String branches = IntStream.range(0, CALLS).mapToObj(i -> """
                            - b%1$d:
                                try:
                                  - call:
                                      call: http
                                      with: {method: get, endpoint: "%2$s/%1$d"}
                                catch:
                                  as: failure
                                  do:
                                    - note:
                                        set: {status: '${ $failure.status }'}
                """.formatted(i, url)).collect(Collectors.joining());
        return """
                document: {dsl: "1.0.0", namespace: test, name: slow, version: "0.1.0"}
                do:
                  - all:
                      fork:
                        branches:
                """ + branches;
    }

    @Test
    void shouldCompleteAnotherTenantsCallWhileOneTenantsCallsHangInEveryOtherSlot() throws Exception {
        try (DribblingServer slow = new DribblingServer(Duration.ofSeconds(1)); HttpStub quick = new HttpStub()) {
            String a = UUID.randomUUID().toString();
            start(a, "tenant-a", slowFork(slow.url("/a-" + a)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(slow.open())
                    .as("tenant A's calls hang in the slots").isGreaterThanOrEqualTo(6));

            String b = UUID.randomUUID().toString();
            start(b, "tenant-b", """
                    document: {dsl: "1.0.0", namespace: test, name: quick, version: "0.1.0"}
                    do:
                      - call:
                          call: http
                          with: {method: get, endpoint: "%s/ok/b-%s"}
                    """.formatted(quick.baseUrl(), b));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(b).getStatus())
                    .isEqualTo(ExecutionStatus.SUCCEEDED));
            assertThat(slow.requests()).as("tenant A took every unreserved slot, no more").hasSize(6);
            assertThat(slow.open()).as("and its calls still hang").isEqualTo(6);
            assertThat(quick.calls("/ok/b-" + b)).isEqualTo(1);

            // each of A's calls ends at the 15 s call timeout, although bytes keep coming; the rest then run
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(last(a).getStatus())
                    .isEqualTo(ExecutionStatus.SUCCEEDED));
            assertThat(last(a).getOutputJson()).isEqualTo(IntStream.range(0, CALLS)
                    .mapToObj(i -> "{\"status\":504}").collect(Collectors.joining(",", "[", "]")));
            assertThat(slow.requests()).as("every call of A's made once: none dropped and dispatched again")
                    .hasSize(CALLS).extracting(DribblingServer.Request::idempotencyKey).doesNotHaveDuplicates()
                    .doesNotContainNull();
            assertThat(slow.requests()).extracting(DribblingServer.Request::path).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, CALLS).mapToObj(i -> "/a-" + a + "/" + i).toList());
        }
    }

    /**
     * Issue 19, item 6: a stop cancels the calls in flight (their connections closed, their slots given back, long
     * before their 15 s call timeout) and the ones still queued never start.
     */
    @Test
    void shouldStopTheCallsInFlightOfAStoppedExecution() throws Exception {
        try (DribblingServer slow = new DribblingServer(Duration.ofSeconds(1))) {
            String a = UUID.randomUUID().toString();
            start(a, "tenant-a", slowFork(slow.url("/stopped-" + a)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(slow.open())
                    .as("its calls hang in every slot it may take").isEqualTo(6));

            stop(a, "tenant-a");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(a).getStatus())
                    .isEqualTo(ExecutionStatus.CANCELLED));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slow.open())
                    .as("the runner closed every call of the stopped execution").isZero());
            assertThat(slow.requests()).as("the calls still queued never started").hasSize(6);
        }
    }

    /** Issue 19, item 6: a task timeout cancels its call in flight, before the call's own deadline. */
    @Test
    void shouldStopACallInFlightWhenItsTaskTimesOut() throws Exception {
        try (DribblingServer slow = new DribblingServer(Duration.ofSeconds(1))) {
            String id = UUID.randomUUID().toString();
            start(id, "tenant-c", """
                    document: {dsl: "1.0.0", namespace: test, name: timed, version: "0.1.0"}
                    do:
                      - call:
                          timeout: {after: PT2S}
                          call: http
                          with: {method: get, endpoint: "%s"}
                    """.formatted(slow.url("/timed-" + id)));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(id).getStatus())
                    .isEqualTo(ExecutionStatus.TIMED_OUT));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slow.open())
                    .as("the call was closed when its task timed out, not at its 15 s call timeout").isZero());
            assertThat(slow.requests()).hasSize(1);
        }
    }
}
