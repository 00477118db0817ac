package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** executions-v1-create.md: POST /v1/executions with Bearer auth and the {code, data, message, requestId} envelope. */
@SuppressWarnings("unchecked")
class ExecutionsV1DialectIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.anonymous().mutate()
            .defaultHeader("Authorization", "Bearer " + TestStack.KEY).build();
    private static final String WORKFLOW = "checkout-" + UUID.randomUUID();

    @BeforeAll
    static void defineWorkflow() {
        api.put().uri("/v1/workflows/{id}", WORKFLOW).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: payments, name: checkout, version: '1.0.0'}
                        do:
                          - total:
                              set: {orderId: '${ .orderId }', total: '${ .amount * 2 }'}
                        """).exchange().expectStatus().isCreated();
    }

    private static Map<String, Object> create(Object body, int status) {
        return api.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "req-" + UUID.randomUUID()).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody();
    }

    @Test
    void shouldAnswerTheSeedsEmptyBodyWithA400Envelope() {
        Map<String, Object> error = create(Map.of(), 400);

        assertThat(error).containsEntry("code", 400).containsEntry("data", null)
                .containsEntry("errorCode", "INVALID_REQUEST").containsKey("requestId");
        assertThat((String) error.get("message")).contains("workflowId is required");
    }

    @Test
    void shouldCreateAnExecutionAndAnswerWithTheEnvelope() {
        String ref = "order-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("workflowId", WORKFLOW, "sourceSystem", "shop", "sourceEntityType", "order",
                "sourceEntityId", "o-77", "externalRef", ref, "idempotencyKey", ref,
                "requestPayload", Map.of("orderId", "o-77", "amount", 21),
                "clientSafeMetadata", Map.of("channel", "web"));

        Map<String, Object> created = create(body, 200);

        assertThat(created).containsEntry("code", 200).containsEntry("message", "success").containsKey("requestId");
        Map<String, Object> execution = (Map<String, Object>) ((Map<String, Object>) created.get("data"))
                .get("execution");
        assertThat(execution).containsEntry("workflowId", WORKFLOW).containsEntry("status", "workflow_queued")
                .containsEntry("sourceSystem", "shop").containsEntry("sourceEntityType", "order")
                .containsEntry("sourceEntityId", "o-77").containsEntry("externalRef", ref)
                .containsEntry("idempotencyKey", ref)
                .containsEntry("requestPayload", Map.of("orderId", "o-77", "amount", 21))
                .containsEntry("clientSafeMetadata", Map.of("channel", "web"));
        String id = (String) execution.get("id");

        Map<String, Object> replay = create(body, 200);
        assertThat(((Map<String, Object>) ((Map<String, Object>) replay.get("data")).get("execution")).get("id"))
                .isEqualTo(id);
        Map<String, Object> reused = create(Map.of("workflowId", WORKFLOW, "sourceSystem", "shop",
                "sourceEntityType", "order", "idempotencyKey", ref, "requestPayload", Map.of("amount", 1)), 422);
        assertThat(reused).containsEntry("code", 422).containsEntry("errorCode", "IDEMPOTENCY_KEY_REUSED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api.get()
                .uri("/v1/executions?sourceSystem=shop&externalRef={r}", ref).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].executionId").isEqualTo(id)
                .jsonPath("$.items[0].status").isEqualTo("SUCCEEDED")
                .jsonPath("$.items[0].metadata.sourceEntityId").isEqualTo("o-77"));
        api.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.output.total").isEqualTo(42);
    }

    @Test
    void shouldRejectWrongTypesAndMissingAuthInTheEnvelope() {
        Map<String, Object> wrongType = create(Map.of("workflowId", WORKFLOW, "sourceSystem", 7,
                "sourceEntityType", "order"), 400);
        assertThat((String) wrongType.get("message")).contains("sourceSystem");
        Map<String, Object> payload = create(Map.of("workflowId", WORKFLOW, "sourceSystem", "s",
                "sourceEntityType", "order", "requestPayload", List.of(1)), 400);
        assertThat((String) payload.get("message")).contains("requestPayload");
        Map<String, Object> unknown = create(Map.of("workflowId", "nowhere", "sourceSystem", "s",
                "sourceEntityType", "order"), 404);
        assertThat(unknown).containsEntry("errorCode", "WORKFLOW_NOT_FOUND");

        stack.anonymous().post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo(401).jsonPath("$.errorCode").isEqualTo("UNAUTHENTICATED");
    }
}
