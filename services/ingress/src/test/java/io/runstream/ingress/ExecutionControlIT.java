package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * Commands through the ingress on a real broker: each lands on the control topic keyed by its execution, and a
 * caller that waits gets the decision published on the outcomes topic. The worker's part is played here by a
 * thread that answers each command on the real topics as the test arranged (the real worker decides them in the
 * dev stack's end-to-end tests).
 */
class ExecutionControlIT extends IngressTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final List<ExecutionCommandRequested> commands = new CopyOnWriteArrayList<>();
    /** How the stand-in worker answers each execution: accept, a rejection code, or (absent) not at all. */
    private static final Map<String, String> answers = new ConcurrentHashMap<>();
    private static Thread worker;
    private static volatile boolean running = true;

    @BeforeAll
    static void playTheWorker() {
        SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
        worker = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                    infra.kafkaBootstrapServers(), "group.id", "control-it-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest"), new StringDeserializer(),
                    new AvroDeserializer<>(registry, ExecutionCommandRequested.class));
                    var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                            infra.kafkaBootstrapServers()), new StringSerializer(),
                            new AvroSerializer<ExecutionCommandDecided>(registry))) {
                consumer.subscribe(List.of("runstream.executions.control"));
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                        assertThat(r.key()).isEqualTo(r.value().getExecutionId());
                        commands.add(r.value());
                        String answer = answers.get(r.key());
                        if (answer != null) {
                            producer.send(new ProducerRecord<>("runstream.executions.control-outcomes", r.key(),
                                    decide(r.value(), answer)));
                        }
                    });
                }
            }
        }, "stand-in-worker");
        worker.start();
    }

    /**
     * The stand-in's decision: an accepted stop leaves the execution CANCELLED at sequence 4, an accepted redrive
     * reopens it RUNNING at sequence 6 as its first redrive; a rejection carries the code and no sequence.
     */
    private static ExecutionCommandDecided decide(ExecutionCommandRequested command, String answer) {
        var decided = ExecutionCommandDecided.newBuilder().setCommandId(command.getCommandId())
                .setExecutionId(command.getExecutionId()).setTenant(command.getTenant())
                .setCommand(command.getCommand()).setDecidedAt(Instant.now());
        if (!answer.equals("ACCEPT")) {
            return decided.setAccepted(false).setCode(answer).setMessage("Said no: " + answer).build();
        }
        boolean redrive = command.getCommand() == ExecutionCommandType.REDRIVE;
        return decided.setAccepted(true).setStatus(redrive ? ExecutionStatus.RUNNING : ExecutionStatus.CANCELLED)
                .setSequence(redrive ? 6L : 4L).setRedriveCount(redrive ? 1 : 0).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        running = false;
        worker.join();
    }

    private static String execution(String answer) {
        String id = UUID.randomUUID().toString();
        if (answer != null) {
            answers.put(id, answer);
        }
        return id;
    }

    @Test
    void shouldAnswer202OnceTheCommandIsOnTheControlTopic() {
        String id = execution(null);

        Map<String, Object> body = web.post().uri("/v1/executions/{id}/stop", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"customer cancelled\","
                        + "\"expectedAttempt\":1}")
                .exchange().expectStatus().isAccepted().expectBody(JSON).returnResult().getResponseBody();

        assertThat(body).containsEntry("executionId", id).containsEntry("command", "stop")
                .containsEntry("outcome", "PENDING").containsEntry("reason", "customer cancelled")
                .doesNotContainKeys("status", "sequence", "redriveCount");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(commands)
                .filteredOn(c -> c.getExecutionId().equals(id)).singleElement().satisfies(c -> {
                    assertThat(c.getCommandId()).isEqualTo(body.get("commandId"));
                    assertThat(c.getTenant()).isEqualTo("default");
                    assertThat(c.getCommand().name()).isEqualTo("STOP");
                    assertThat(c.getReason()).isEqualTo("customer cancelled");
                    assertThat(c.getExpectedAttempt()).isEqualTo(1);
                }));
    }

    @Test
    void shouldAnswerWithTheWorkersDecisionWhenTheCallerWaits() {
        String accepted = execution("ACCEPT");
        Map<String, Object> body = web.post().uri("/v1/executions/{id}/stop?waitSeconds=10", accepted).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(body).containsEntry("outcome", "ACCEPTED").containsEntry("status", "CANCELLED")
                .containsEntry("sequence", 4).containsEntry("redriveCount", 0);

        web.post().uri("/v1/executions/{id}/stop?waitSeconds=10", execution("EXECUTION_FINISHED")).exchange()
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("EXECUTION_FINISHED")
                .jsonPath("$.message").isEqualTo("Said no: EXECUTION_FINISHED");
        web.post().uri("/v1/executions/{id}/stop?waitSeconds=10", execution("ATTEMPT_MISMATCH")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ATTEMPT_MISMATCH");
        web.post().uri("/v1/executions/{id}/stop?waitSeconds=10", execution("EXECUTION_NOT_FOUND")).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");

        long started = System.nanoTime();
        web.post().uri("/v1/executions/{id}/stop?waitSeconds=1", execution(null)).exchange()
                .expectStatus().isAccepted().expectBody().jsonPath("$.outcome").isEqualTo("PENDING");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("an undecided command waits its time out")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldAnswerAnAcceptedRedriveWithTheReopenedStatusItsSequenceAndRedriveCount() {
        String id = execution("ACCEPT");

        Map<String, Object> body = web.post().uri("/v1/executions/{id}/redrive?waitSeconds=10", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\":\"fixed the endpoint\","
                        + "\"expectedAttempt\":1}")
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();

        assertThat(body).containsEntry("executionId", id).containsEntry("command", "redrive")
                .containsEntry("outcome", "ACCEPTED").containsEntry("status", "RUNNING")
                .containsEntry("sequence", 6).containsEntry("redriveCount", 1)
                .containsEntry("reason", "fixed the endpoint");
        assertThat(commands).filteredOn(c -> c.getExecutionId().equals(id)).singleElement().satisfies(c -> {
            assertThat(c.getCommandId()).isEqualTo(body.get("commandId"));
            assertThat(c.getCommand()).isEqualTo(ExecutionCommandType.REDRIVE);
            assertThat(c.getReason()).isEqualTo("fixed the endpoint");
            assertThat(c.getExpectedAttempt()).isEqualTo(1);
        });
    }

    @Test
    void shouldPublishTheCallersCommandIdSoARetryIsNotDecidedTwice() {
        String id = execution("ACCEPT");
        String commandId = java.util.UUID.randomUUID().toString();

        web.post().uri("/v1/executions/{id}/pause?waitSeconds=10", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"commandId\":\"" + commandId + "\"}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.commandId").isEqualTo(commandId);
        web.post().uri("/v1/executions/{id}/pause", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"commandId\":\"not-a-uuid\"}")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                .value(message -> assertThat((String) message).contains("commandId must be a UUID"));

        assertThat(commands).filteredOn(c -> c.getExecutionId().equals(id)).singleElement()
                .satisfies(c -> assertThat(c.getCommandId()).isEqualTo(commandId));
    }

    @Test
    void shouldAnswer409WithTheCodeWhenTheWorkerFindsNothingToRedrive() {
        web.post().uri("/v1/executions/{id}/redrive?waitSeconds=10", execution("EXECUTION_NOT_REDRIVABLE"))
                .exchange().expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("EXECUTION_NOT_REDRIVABLE")
                .jsonPath("$.message").isEqualTo("Said no: EXECUTION_NOT_REDRIVABLE");
    }

    @Test
    void shouldAnswer202OnceARedriveIsOnTheControlTopicWithoutAWait() {
        String id = execution("ACCEPT");

        Map<String, Object> body = web.post().uri("/v1/executions/{id}/redrive", id).exchange()
                .expectStatus().isAccepted().expectBody(JSON).returnResult().getResponseBody();

        assertThat(body).containsEntry("executionId", id).containsEntry("command", "redrive")
                .containsEntry("outcome", "PENDING").doesNotContainKeys("status", "sequence", "redriveCount", "reason");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(commands)
                .filteredOn(c -> c.getExecutionId().equals(id)).singleElement().satisfies(c -> {
                    assertThat(c.getCommandId()).isEqualTo(body.get("commandId"));
                    assertThat(c.getCommand()).isEqualTo(ExecutionCommandType.REDRIVE);
                    assertThat(c.getExpectedAttempt()).isNull();
                }));
    }

    @Test
    void shouldTakeYandexStopAndTerminateAsCommandsAndMapRejections() {
        String stopped = execution("ACCEPT");
        web.post().uri("/workflows/v1/execution/{id}/stop", stopped).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.executionId").isEqualTo(stopped);
        String terminated = execution("ACCEPT");
        web.post().uri("/workflows/v1/execution/{id}/terminate", terminated).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(commands)
                .filteredOn(c -> c.getExecutionId().equals(terminated)).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Terminated through the Yandex Workflows API")));

        web.post().uri("/workflows/v1/execution/{id}/stop", execution("EXECUTION_FINISHED")).exchange()
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo(9)
                .jsonPath("$.details[0].errorCode").isEqualTo("EXECUTION_FINISHED");
    }

    @Test
    void shouldRefuseBadCommandsClearlyWithoutPublishingThem() {
        web.post().uri("/v1/executions/not-a-uuid/stop").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
        String id = execution("ACCEPT");
        web.post().uri("/v1/executions/{id}/stop?waitSeconds=61", id).exchange().expectStatus().isBadRequest();
        web.post().uri("/v1/executions/{id}/stop?waitSeconds=-1", id).exchange().expectStatus().isBadRequest();
        web.post().uri("/v1/executions/{id}/stop", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":").exchange().expectStatus().isBadRequest();
        web.post().uri("/v1/executions/{id}/stop", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"expectedAttempt\":0}").exchange().expectStatus().isBadRequest();
        anonymous.post().uri("/v1/executions/{id}/stop", id).exchange().expectStatus().isUnauthorized();

        web.post().uri("/v1/executions/{id}/stop?waitSeconds=10", id).exchange().expectStatus().isOk();
        // the refused ones would be on the same partition before this one, which the stand-in has answered
        assertThat(commands).filteredOn(c -> c.getExecutionId().equals(id))
                .as("only the last, valid command was published").hasSize(1);
    }
}
