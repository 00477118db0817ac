package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * What the ingress accepts can be carried out: ids, inputs, definitions, reasons and fields outside their limits
 * are refused with a clear 4xx before anything is recorded, a record the log refuses for good is marked instead of
 * being retried for ever, and a database outage is a quick 503.
 */
class IngressLimitsIT extends IngressTestBase {

    private static final String SMALL = """
            document: {dsl: '1.0.0', namespace: test, name: small, version: '0.1.0'}
            do:
              - echo:
                  set:
                    done: true
            """;

    @BeforeEach
    void defineWorkflow() {
        web.put().uri("/v1/workflows/small").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(SMALL).exchange().expectStatus().is2xxSuccessful();
    }

    @Test
    void shouldRefuseWorkflowIdsOutsideTheRuleAndNeverAnswer500ForThem() {
        for (String id : new String[] {"a%0D%0Ab", "a%00b", "-dash", "x".repeat(129), "%2E%2E", "a%2Fb", "a b"}) {
            web.put().uri("/v1/workflows/" + id).contentType(MediaType.parseMediaType("application/yaml"))
                    .bodyValue(SMALL).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("INVALID_WORKFLOW_ID")
                    .jsonPath("$.message").value(m -> assertThat((String) m)
                            .contains("ASCII letters, digits").doesNotContain("\r", "\n", "\u0000"));
            web.get().uri("/v1/workflows/" + id).exchange().expectStatus().isNotFound();
            web.post().uri("/v1/workflows/" + id + "/executions").contentType(MediaType.APPLICATION_JSON)
                    .header("Idempotency-Key", "k").bodyValue("{\"inputData\":{}}").exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_NOT_FOUND");
        }
        web.put().uri("/v1/workflows/" + "x".repeat(128)).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(SMALL).exchange().expectStatus().isCreated();
    }

    @Test
    void shouldRefuseAnInputOverTheLimitWith413AndRecordNothing() {
        String key = UUID.randomUUID().toString();
        String big = "{\"inputData\":{\"blob\":\"" + "x".repeat(170 * 1024) + "\"}}";

        web.post().uri("/v1/workflows/small/executions").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue(big).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("at most 163840")
                        .contains("max-input-size"));
        assertThat(jdbc.sql("SELECT count(*) FROM execution_requests WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();
        web.post().uri("/v1/workflows/small/executions").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue("{\"inputData\":{\"blob\":\"x\"}}").exchange()
                .expectStatus().isCreated();
    }

    @Test
    void shouldRefuseADefinitionOverTheLimitWith413() {
        String padded = SMALL + "# " + "x".repeat(300 * 1024) + "\n";
        web.put().uri("/v1/workflows/padded").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(padded).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("max-definition-size"));
        web.get().uri("/v1/workflows/padded").exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldMarkRequestsTheLogRefusesForGoodAndGoOnPublishingTheOthers() {
        // recorded before the limits existed: an input the producer refuses (over max.request.size, 1 MB), and a
        // sound request behind it, both waiting for the sweeper; and a workflow change waiting too
        String stuck = "stuck-" + UUID.randomUUID();
        String sound = "sound-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minusSeconds(60);
        insertUnpublished(stuck, "{\"blob\":\"" + "x".repeat(1_100_000) + "\"}", longAgo);
        insertUnpublished(sound, "{}", longAgo.plusSeconds(1));
        jdbc.sql("UPDATE workflows SET published_at = NULL, updated_at = ? WHERE tenant = 'default' AND workflow_id = "
                + "'small'").param(Timestamp.from(longAgo)).update();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(column("published_at", sound)).isNotNull();
            assertThat(column("refusal", stuck)).isNotNull();
            assertThat(jdbc.sql("SELECT published_at FROM workflows WHERE tenant = 'default' AND workflow_id = "
                    + "'small'").query(Timestamp.class).single()).isNotNull();
        });
        assertThat((String) column("refusal", stuck)).contains("refused");
        assertThat(column("published_at", stuck)).isNull();
        web.post().uri("/v1/workflows/small/executions").contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", stuck)
                .bodyValue("{\"inputData\":{\"blob\":\"" + "x".repeat(1_100_000) + "\"}}").exchange()
                .expectStatus().isEqualTo(413);
    }

    private void insertUnpublished(String key, String input, Instant acceptedAt) {
        jdbc.sql("""
                INSERT INTO execution_requests (tenant, workflow_id, workflow_version, idempotency_key, execution_id,
                    input_json, metadata, accepted_at)
                VALUES ('default', 'small', 1, ?, ?, ?, '{}'::jsonb, ?)""")
                .params(key, UUID.randomUUID(), input, Timestamp.from(acceptedAt)).update();
    }

    private Object column(String name, String key) {
        return jdbc.sql("SELECT " + name + " FROM execution_requests WHERE idempotency_key = ?").param(key)
                .query((rs, row) -> rs.getObject(1)).list().get(0);
    }

    @Test
    void shouldRefuseAReasonOverTheLimitWithAClearError() {
        web.post().uri("/v1/executions/{id}/stop", UUID.randomUUID()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "r".repeat(5_000))).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("5000 characters").contains("at most 4096"));
    }

    @Test
    void shouldRefuseControlCharactersInExecutionsV1Fields() {
        web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", "small", "sourceSystem", "crm\u0000x", "sourceEntityType", "order"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errorCode").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("sourceSystem must not contain control characters"));
        web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", "small", "sourceSystem", "crm", "sourceEntityType", "order",
                        "idempotencyKey", "k\u0000"))
                .exchange()
                .expectStatus().isBadRequest();
        web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", "sm\u0000all", "sourceSystem", "crm", "sourceEntityType", "order"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("workflowId"));
    }

    @Test
    void shouldAnswer503InEachDialectWhileTheDatabaseIsFrozenAndAcceptTheSameRequestAfter() {
        String key = UUID.randomUUID().toString();
        try (var frozen = infra.freezePostgres()) {
            web.post().uri("/v1/workflows/small/executions").contentType(MediaType.APPLICATION_JSON)
                    .header("Idempotency-Key", key).bodyValue("{\"inputData\":{}}").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.code").isEqualTo("DATABASE_UNAVAILABLE");
            web.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("workflowId", "small")).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo(14)
                    .jsonPath("$.details[0].errorCode").isEqualTo("DATABASE_UNAVAILABLE");
            web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("workflowId", "small", "sourceSystem", "crm", "sourceEntityType", "order"))
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo(503)
                    .jsonPath("$.errorCode").isEqualTo("DATABASE_UNAVAILABLE");
            web.put().uri("/v1/workflows/small").contentType(MediaType.parseMediaType("application/yaml"))
                    .bodyValue(SMALL).exchange()
                    .expectStatus().isEqualTo(503);
            web.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.post().uri("/v1/workflows/small/executions").contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", key).bodyValue("{\"inputData\":{}}").exchange()
                        .expectStatus().isCreated());
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
