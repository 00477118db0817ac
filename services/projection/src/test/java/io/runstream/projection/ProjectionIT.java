package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.schemas.ExecutionError;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.serde.AvroSerializer;
import java.time.Duration;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.Disposable;

/** The projection's view: events in, view out, poison records out of the way. */
class ProjectionIT extends ProjectionTestBase {

    @Autowired
    ExecutionChanges changes;

    @Test
    void shouldServeTheViewBuiltFromStatusEvents() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1), event(id, ExecutionStatus.RUNNING, 2),
                event(id, ExecutionStatus.SUCCEEDED, 3));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get().uri("/v1/executions/{id}", id)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.executionId").isEqualTo(id)
                .jsonPath("$.workflowId").isEqualTo("demo")
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.input.x").isEqualTo(1)
                .jsonPath("$.output.y").isEqualTo(2)
                .jsonPath("$.startedAt").isEqualTo("2026-11-23T10:00:00Z")
                .jsonPath("$.finishedAt").isEqualTo("2026-11-23T10:00:00.300Z")
                .jsonPath("$.durationMs").isEqualTo(300));
    }

    @Test
    void shouldHandTheAppliedStateToThoseWatchingTheExecution() throws Exception {
        String id = UUID.randomUUID().toString();
        List<ExecutionView> handed = new CopyOnWriteArrayList<>();
        Disposable watching = changes.of(UUID.fromString(id)).subscribe(handed::add);
        try {
            send(id, event(id, ExecutionStatus.QUEUED, 1), event(id, ExecutionStatus.RUNNING, 2),
                    event(id, ExecutionStatus.SUCCEEDED, 3));

            // read back from the view once applied, as a read would find it: no watcher needs a read of its own
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(handed).last()
                    .satisfies(view -> {
                        assertThat(view.status()).isEqualTo(io.runstream.projection.domain.ExecutionStatus.SUCCEEDED);
                        assertThat(view.sequence()).isEqualTo(3);
                        assertThat(view.tenant()).isEqualTo("default");
                        assertThat(view.inputJson()).isEqualTo("{\"x\":1}");
                        assertThat(view.outputJson()).isEqualTo("{\"y\":2}");
                    }));
        } finally {
            watching.dispose();
        }
        assertThat(changes.watched()).isZero();
    }

    @Test
    void shouldShowWhatAWaitingExecutionListensForUntilItNoLongerWaits() throws Exception {
        String id = UUID.randomUUID().toString();
        var listening = ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.RUNNING, 2))
                .setPhase(io.runstream.schemas.ExecutionPhase.WAITING)
                .setWaitingFor(List.of(io.runstream.schemas.ListenWait.newBuilder().setPosition("/do/0/paid")
                        .setTypes(List.of("order.paid")).setCorrelations(Map.of("order", "7", "shop", "\"north\""))
                        .setSince(T0.plusMillis(200)).build()))
                .build();
        send(id, event(id, ExecutionStatus.QUEUED, 1), listening);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.phase").isEqualTo("WAITING")
                .jsonPath("$.waitingFor.length()").isEqualTo(1)
                .jsonPath("$.waitingFor[0].position").isEqualTo("/do/0/paid")
                .jsonPath("$.waitingFor[0].types").isEqualTo(List.of("order.paid"))
                .jsonPath("$.waitingFor[0].correlations.order").isEqualTo(7)
                .jsonPath("$.waitingFor[0].correlations.shop").isEqualTo("north")
                .jsonPath("$.waitingFor[0].since").isEqualTo("2026-11-23T10:00:00.200Z"));

        // it moves on; the waiting event delivered again after that, then a marker that only adds metadata
        var marker = ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.QUEUED, 1))
                .setMetadata(Map.of("marker", "after")).build();
        send(id, event(id, ExecutionStatus.RUNNING, 3), listening, marker);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT metadata->>'marker' FROM executions WHERE execution_id = ?::uuid").param(id)
                .query(String.class).single()).isEqualTo("after"));
        web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.phase").isEmpty()
                .jsonPath("$.waitingFor").isEmpty();
        assertThat(jdbc.sql("SELECT waiting_for IS NULL FROM executions WHERE execution_id = ?::uuid").param(id)
                .query(Boolean.class).single()).as("cleared, and the older event did not bring it back").isTrue();
    }

    @Test
    void shouldKeepInputAndMetadataWhenQueuedArrivesAfterALaterEvent() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.SUCCEEDED, 3), event(id, ExecutionStatus.QUEUED, 1),
                event(id, ExecutionStatus.RUNNING, 2));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get()
                .uri("/v1/executions?sourceSystem=crm&limit=100").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.executionId == '" + id + "')].status").isEqualTo(
                        java.util.List.of("SUCCEEDED")));
        web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.input.x").isEqualTo(1)
                .jsonPath("$.output.y").isEqualTo(2)
                .jsonPath("$.finishedAt").isNotEmpty();
    }

    @Test
    void shouldIgnoreDuplicateAndOlderEvents() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1), event(id, ExecutionStatus.FAILED, 3),
                event(id, ExecutionStatus.RUNNING, 2), event(id, ExecutionStatus.FAILED, 3),
                event(id, ExecutionStatus.QUEUED, 1));
        String marker = UUID.randomUUID().toString();
        send(marker, event(marker, ExecutionStatus.QUEUED, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", marker).exchange().expectStatus().isOk());
        web.get().uri("/v1/executions/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.error.code").isEqualTo("WORKFLOW_ERROR")
                .jsonPath("$.error.message").isEqualTo("boom")
                .jsonPath("$.input.x").isEqualTo(1);
        assertThat(jdbc.sql("SELECT sequence FROM execution_history WHERE execution_id = ?::uuid ORDER BY sequence")
                .param(id).query(Long.class).list()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldDeadLetterPoisonRecordsAndKeepConsuming() throws Exception {
        String poisonKey = "poison-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(STATUS, poisonKey, "{\"not\":\"avro\"}".getBytes())).get();
        }
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk());
        ConsumerRecord<String, byte[]> dead = deadLetter(poisonKey);
        assertThat(new String(dead.value())).isEqualTo("{\"not\":\"avro\"}");
        var headers = new java.util.HashMap<String, String>();
        dead.headers().forEach(h -> headers.put(h.key(), new String(h.value())));
        assertThat(headers).hasEntrySatisfying("kafka_dlt-exception-cause-fqcn",
                v -> assertThat(v).endsWith("DeserializationException"));
        assertThat(headers).containsEntry("kafka_dlt-original-topic", STATUS);
    }

    @Test
    void shouldDeadLetterAnEventThatCanNeverBeAppliedAndKeepConsuming() throws Exception {
        String key = "invalid-" + UUID.randomUUID();
        send(key, event("not-a-uuid", ExecutionStatus.QUEUED, 1));
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk());
        assertThat(new String(deadLetter(key).headers().lastHeader("kafka_dlt-exception-message").value()))
                .contains("Invalid status event");
    }

    @Test
    void shouldRecordTaskStepsOnceAndDeadLetterPoisonTaskRecords() throws Exception {
        String id = UUID.randomUUID().toString();
        var step = ExecutionTaskEnded.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setAttempt(1).setName("fetch").setPosition("/do/0/fetch").setTaskType("try")
                .setStatus(TaskStatus.FAULTED).setTaskAttempts(3).setStartedAt(T0).setEndedAt(T0.plusSeconds(2))
                .setError(new ExecutionError("https://serverlessworkflow.io/spec/1.0.0/errors/communication",
                        "HTTP 503")).build();
        String poisonKey = "poison-task-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TASKS, poisonKey, "garbage".getBytes())).get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>(TASKS, id, step)).get();
            producer.send(new ProducerRecord<>(TASKS, id, step)).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("""
                SELECT position, status, task_attempts, error_message FROM execution_task_steps
                WHERE execution_id = ?::uuid""").param(id).query().listOfRows())
                .singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("position", "/do/0/fetch").containsEntry("status", "FAULTED")
                            .containsEntry("task_attempts", 3).containsEntry("error_message", "HTTP 503");
                }));
        assertThat(deadLetter("runstream.executions.tasks.dlt", poisonKey).value()).isEqualTo("garbage".getBytes());
    }

    @Test
    void shouldKeepDataWithANulCharacterAndGoOnApplyingOtherExecutions() throws Exception {
        String id = UUID.randomUUID().toString();
        var queued = ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.QUEUED, 1))
                .setInputJson("{\"note\":\"a\\u0000b\"}")
                .setMetadata(Map.of("sourceSystem", "crm\u0000x")).build();
        var failed = ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.FAILED, 2))
                .setOutputJson("[\"\\u0000\"]")
                .setError(new ExecutionError("WORKFLOW_ERROR", "bad \u0000 byte")).build();
        send(id, queued, failed);
        String after = UUID.randomUUID().toString();
        send(after, event(after, ExecutionStatus.QUEUED, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", after).exchange().expectStatus().isOk());
        web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.input.note").isEqualTo("a\u0000b")
                .jsonPath("$.output[0]").isEqualTo("\u0000")
                .jsonPath("$.error.message").isEqualTo("bad \uFFFD byte");
        assertThat(jdbc.sql("SELECT metadata ->> 'sourceSystem' FROM executions WHERE execution_id = ?::uuid")
                .param(id).query(String.class).single()).isEqualTo("crm\uFFFDx");
    }

    @Test
    void shouldApplyAnEventWithoutTheDataTheDatabaseRefusesAndDeadLetterItWhole() throws Exception {
        String id = UUID.randomUUID().toString();
        // a raw NUL is not JSON and no PostgreSQL text can hold it: only a producer other than the worker writes this
        var succeeded = ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.SUCCEEDED, 2))
                .setOutputJson("{\"x\":\"\u0000\"}").build();
        send(id, event(id, ExecutionStatus.QUEUED, 1), succeeded);
        String after = UUID.randomUUID().toString();
        send(after, event(after, ExecutionStatus.QUEUED, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", after).exchange().expectStatus().isOk());
        web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.input.x").isEqualTo(1)
                .jsonPath("$.output").doesNotExist();
        ConsumerRecord<String, byte[]> dead = deadLetter(id);
        assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value()))
                .startsWith("Applied without its input, output, metadata and messages").contains("22021");
        assertThat(dead.value()).isNotEmpty();
        assertThat(meters.get("runstream.dead.letters").tag("topic", "runstream.executions.status.dlt")
                .tag("reason", "data-dropped").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldRecordTaskStepsWithANulCharacterOrWithoutTheDataTheDatabaseRefuses() throws Exception {
        String id = UUID.randomUUID().toString();
        var kept = ExecutionTaskEnded.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setAttempt(1).setStep(1).setName("na\u0000me").setPosition("/do/0/na\u0000me").setTaskType("set")
                .setStatus(TaskStatus.COMPLETED).setTaskAttempts(1).setStartedAt(T0).setEndedAt(T0.plusSeconds(1))
                .setInputJson("{\"a\":\"\\u0000\"}").setOutputJson("{}").build();
        var refused = ExecutionTaskEnded.newBuilder(kept).setStep(2).setPosition("/do/1/b")
                .setOutputJson("\u0000").build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>(TASKS, id, kept)).get();
            producer.send(new ProducerRecord<>(TASKS, id, refused)).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("""
                SELECT step, name, input_json, output_json FROM execution_task_steps
                WHERE execution_id = ?::uuid ORDER BY step""").param(id).query().listOfRows())
                .satisfiesExactly(
                        first -> assertThat(first).containsEntry("name", "na\uFFFDme")
                                .containsEntry("input_json", "{\"a\":\"\\u0000\"}"),
                        second -> assertThat(second).containsEntry("step", 2L).containsEntry("output_json", null)));
        assertThat(new String(deadLetter("runstream.executions.tasks.dlt", id).headers()
                .lastHeader("kafka_dlt-exception-message").value())).startsWith("Applied without");
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        return deadLetter("runstream.executions.status.dlt", key);
    }

    /** Waits for the one dead letter with this key. */
    private static ConsumerRecord<String, byte[]> deadLetter(String topic, String key) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "dlt-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> dead = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        dead.add(r);
                    }
                });
                assertThat(dead).hasSize(1);
            });
            return dead.get(0);
        }
    }

    @Test
    void shouldRequireAnApiKeyAndHideOtherTenantsExecutions() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk());

        anonymous.get().uri("/v1/executions/{id}", id).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        anonymous.get().uri("/v1/executions/{id}", id).header("X-API-Key", "wrong").exchange()
                .expectStatus().isUnauthorized();
        anonymous.get().uri("/v1/executions/{id}", id).header("Authorization", "Bearer rs_dev_default_key")
                .exchange().expectStatus().isOk();
        anonymous.get().uri("/v1/executions/{id}", id).header("X-API-Key", "rs_dev_other_key").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
        anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void shouldAnswer404ForUnknownOrMalformedIds() {
        web.get().uri("/v1/executions/{id}", UUID.randomUUID()).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
        web.get().uri("/v1/executions/not-a-uuid").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.title").isEqualTo("Not Found");
    }
}
