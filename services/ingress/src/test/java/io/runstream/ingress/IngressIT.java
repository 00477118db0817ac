package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The ingress against a real broker, PostgreSQL and registry: what a client sees and what lands on the log. */
class IngressIT extends IngressTestBase {

    private static final List<ExecutionRequested> published = new CopyOnWriteArrayList<>();
    private static Thread reader;
    private static volatile boolean reading = true;

    @BeforeAll
    static void readCommands() {
        reader = new Thread(() -> {
            var deserializer = new AvroDeserializer<>(io.runstream.schemas.serde.SchemaRegistry.forUrl(
                    infra.schemaRegistryUrl()), ExecutionRequested.class);
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    "bootstrap.servers", infra.kafkaBootstrapServers(), "group.id", "ingress-it-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest"), new StringDeserializer(), deserializer)) {
                consumer.subscribe(List.of("runstream.executions.commands"));
                while (reading) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                        assertThat(r.key()).isEqualTo(r.value().getExecutionId());
                        published.add(r.value());
                    });
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

    static final String DEMO = """
            document:
              dsl: '1.0.0'
              namespace: test
              name: demo
              version: '0.1.0'
            do:
              - echo:
                  set:
                    done: true
            """;

    @org.junit.jupiter.api.BeforeEach
    void defineDemoWorkflow() {
        web.put().uri("/v1/workflows/demo").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(DEMO).exchange().expectStatus().is2xxSuccessful();
    }

    private WebTestClient.ResponseSpec start(String workflow, String key, String body) {
        var request = web.post().uri("/v1/workflows/{w}/executions", workflow).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void shouldCreateExecutionAndPublishExecutionRequested() {
        String key = UUID.randomUUID().toString();

        Map<String, Object> created = start("demo", key, "{\"inputData\":{\"x\":1,\"nested\":{\"b\":2,\"a\":1}}}")
                .expectStatus().isCreated()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        String id = (String) created.get("executionId");
        assertThat(created).containsEntry("workflowId", "demo").containsEntry("status", "pending")
                .containsKey("startedAt");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(published)
                .filteredOn(e -> e.getExecutionId().equals(id)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getWorkflowId()).isEqualTo("demo");
                    assertThat(e.getTenant()).isEqualTo("default");
                    assertThat(e.getIdempotencyKey()).isEqualTo(key);
                    assertThat(e.getWorkflowVersion()).isPositive();
                    assertThat(e.getDefinition()).contains("name: demo");
                    assertThat(e.getInputJson()).isEqualTo("{\"nested\":{\"a\":1,\"b\":2},\"x\":1}");
                }));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT published_at IS NOT NULL FROM execution_requests WHERE execution_id = ?::uuid")
                .param(id).query(Boolean.class).single()).isTrue());
    }

    @Test
    void shouldReturnOriginalExecutionWhenIdempotencyKeyIsReplayed() {
        String key = UUID.randomUUID().toString();
        var first = start("demo", key, "{\"inputData\":{\"x\":1}}").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();

        var replay = start("demo", key, "{\"inputData\": {\"x\": 1}}").expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(replay).isEqualTo(first);
    }

    /** A start of demo with {"x":1} that waits for its result, under a new key. */
    private WebTestClient.ResponseSpec startWaiting(String waitForTerminalSeconds) {
        return web.post().uri("/v1/workflows/demo/executions?waitForTerminalSeconds=" + waitForTerminalSeconds)
                .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue("{\"inputData\":{\"x\":1}}").exchange();
    }

    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    @Test
    void shouldAnswerAStartThatWaitsWithTheViewTheProjectionGivesOverHttp() {
        projection.answer("SUCCEEDED");
        try {
            Map<String, Object> ended = body(startWaiting("5").expectStatus().isOk());
            String id = (String) ended.get("executionId");

            assertThat(ended).containsEntry("status", "SUCCEEDED").containsEntry("output", Map.of("from", "stub"));
            assertThat(projection.asked()).as("the long poll, with the caller's key")
                    .contains(new StubProjection.Asked("/v1/executions/" + id, "waitForTerminalSeconds=5",
                            DEFAULT_KEY));

            // one still running when the projection's wait ends: the start's own answer
            projection.answer("RUNNING");
            startWaiting("1").expectStatus().isCreated().expectBody().jsonPath("$.status").isEqualTo("pending");
        } finally {
            projection.answer(null);
        }
    }

    @Test
    void shouldAnswerAStartThatWaitsAsWithoutTheWaitWhenTheViewCannotBeRead() {
        // the projection the view would come from cannot serve it: the start is accepted and answered as it always was
        Map<String, Object> created = body(startWaiting("5").expectStatus().isCreated());
        assertThat(created).containsEntry("status", "pending").containsKey("executionId");
        String id = (String) created.get("executionId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(published)
                .anySatisfy(e -> assertThat(e.getExecutionId()).isEqualTo(id)));

        // a wait out of range, or not a number, is refused before anything is started
        for (String wait : List.of("61", "-1", "soon")) {
            String refusedKey = UUID.randomUUID().toString();
            web.post().uri("/v1/workflows/demo/executions?waitForTerminalSeconds=" + wait)
                    .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", refusedKey)
                    .bodyValue("{\"inputData\":{\"x\":1}}").exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                            .contains("waitForTerminalSeconds"));
            assertThat(jdbc.sql("select count(*) from execution_requests where idempotency_key = ?")
                    .param(refusedKey).query(Long.class).single()).as("nothing recorded for %s", wait).isZero();
        }
    }

    @Test
    void shouldCreateExactlyOneExecutionForConcurrentDuplicates() throws Exception {
        String key = UUID.randomUUID().toString();
        // The callers' own threads: a blocking call on the shared boundedElastic scheduler could be queued behind
        // the very server task it waits for (the scheduler pins tasks to busy workers once at its cap).
        var callers = Executors.newFixedThreadPool(16);
        List<Integer> statuses;
        try {
            var calls = IntStream.range(0, 16)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> start("demo", key,
                            "{\"inputData\":{\"x\":1}}").returnResult(String.class).getStatus().value(), callers))
                    .toList();
            statuses = new ArrayList<>();
            for (var call : calls) {
                statuses.add(call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(statuses).hasSize(16).containsOnlyOnce(201).containsOnly(200, 201);
        assertThat(jdbc.sql("SELECT count(*) FROM execution_requests WHERE idempotency_key = ?").param(key)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void shouldRejectKeyReusedWithDifferentBody() {
        String key = UUID.randomUUID().toString();
        start("demo", key, "{\"inputData\":{\"x\":1}}").expectStatus().isCreated();

        start("demo", key, "{\"inputData\":{\"x\":2}}")
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED")
                .jsonPath("$.title").isEqualTo("Unprocessable Content")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains(key));
    }

    @Test
    void shouldRejectMalformedJsonWithClearError() {
        start("demo", UUID.randomUUID().toString(), "{\"inputData\": {")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).doesNotContain("at io.").isNotBlank());
    }

    @Test
    void shouldRejectMissingIdempotencyKey() {
        start("demo", null, "{\"inputData\":{}}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("Idempotency-Key"));
    }

    @Test
    void shouldRejectMissingOrNonObjectInputData() {
        start("demo", UUID.randomUUID().toString(), "{\"other\":1}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("inputData"));
        start("demo", UUID.randomUUID().toString(), "{\"inputData\":[1]}").expectStatus().isBadRequest();
    }

    @Test
    void shouldRejectBodiesOverOneMegabyte() {
        String big = "{\"inputData\":{\"blob\":\"" + "x".repeat(1_100_000) + "\"}}";

        start("demo", UUID.randomUUID().toString(), big)
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void shouldRejectWrongContentType() {
        web.post().uri("/v1/workflows/demo/executions").header("Idempotency-Key", "k")
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void shouldRefuseRequestsWithoutAValidKeyAndAcceptBearerTokens() {
        anonymous.post().uri("/v1/workflows/demo/executions").header("Idempotency-Key", "k")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("X-API-Key"));
        anonymous.get().uri("/v1/workflows/demo").header("X-API-Key", "not-a-key").exchange()
                .expectStatus().isUnauthorized();
        anonymous.get().uri("/v1/workflows/demo").header("Authorization", "Bearer " + DEFAULT_KEY).exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldKeepEachTenantsWorkflowsAndExecutionsApart() {
        WebTestClient other = anonymous.mutate().defaultHeader("X-API-Key", OTHER_TENANT_KEY).build();

        other.get().uri("/v1/workflows/demo").exchange().expectStatus().isNotFound();
        other.post().uri("/v1/workflows/demo/executions").header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_NOT_FOUND");
        other.get().uri("/v1/workflows?limit=100").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.workflowId == 'demo')]").doesNotExist();
    }

    @Test
    void shouldForgetPublishedKeysOlderThanTheWindowOnly(@Autowired ExecutionIntake intake) {
        String old = UUID.randomUUID().toString();
        String pending = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        jdbc.sql("""
                INSERT INTO execution_requests
                    (tenant, workflow_id, idempotency_key, execution_id, input_json, accepted_at, published_at)
                VALUES ('default', 'window', ?, gen_random_uuid(), '{}', now() - interval '25 hours', now()),
                       ('default', 'window', ?, gen_random_uuid(), '{}', now() - interval '25 hours', NULL),
                       ('default', 'window', ?, gen_random_uuid(), '{}', now() - interval '23 hours', now())""")
                .params(old, pending, recent).update();

        intake.forgetExpiredKeys(1000);

        assertThat(jdbc.sql("SELECT idempotency_key FROM execution_requests WHERE workflow_id = 'window'")
                .query(String.class).list()).containsExactlyInAnyOrder(pending, recent);
    }

    @Test
    void shouldPublishARequestThatWasRecordedButNeverPublished() {
        String key = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                INSERT INTO execution_requests (tenant, workflow_id, idempotency_key, execution_id, input_json, accepted_at)
                VALUES ('default', 'demo', ?, ?::uuid, '{"crashed":true}', now() - interval '1 minute')""")
                .params(key, id).update();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(published)
                .filteredOn(e -> e.getExecutionId().equals(id)).singleElement()
                .satisfies(e -> assertThat(e.getInputJson()).isEqualTo("{\"crashed\":true}")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT published_at IS NOT NULL FROM execution_requests WHERE execution_id = ?::uuid")
                .param(id).query(Boolean.class).single()).isTrue());
    }
}
