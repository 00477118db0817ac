package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** flowker-execute-workflow.md, request for request, against the dev stack's one base URL. */
class FlowkerDialectIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.client();
    /** Flowker workflow ids are UUIDs. */
    private static final String WORKFLOW = UUID.randomUUID().toString();
    /** The seed's ExecuteWorkflowInput example. */
    private static final String SEED_BODY = """
            {"inputData": {"transactionId": "txn-98765", "amount": 1500, "currency": "BRL",
             "customerId": "cust-12345", "message": "Payment received"}}""";

    @BeforeAll
    static void defineWorkflow() {
        api.put().uri("/v1/workflows/{id}", WORKFLOW).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: flowker, name: payment, version: '1.0.0'}
                        do:
                          - acknowledge:
                              set:
                                transactionId: ${ .transactionId }
                                accepted: ${ .amount > 0 }
                        """).exchange().expectStatus().isCreated();
    }

    private static WebTestClient.ResponseSpec execute(WebTestClient client, String workflowId, String key,
            String body) {
        var request = client.post().uri("/v1/workflows/{id}/executions", workflowId)
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void shouldAnswer201WithExecutionCreateOutputThen200WithTheSameOnReplay() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> created = execute(api, WORKFLOW, key, SEED_BODY).expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody();

        assertThat(created.keySet()).containsExactlyInAnyOrder("executionId", "startedAt", "status", "workflowId");
        assertThat(UUID.fromString((String) created.get("executionId"))).isNotNull();
        assertThat(created.get("workflowId")).isEqualTo(WORKFLOW);
        assertThat(created.get("status")).isEqualTo("pending");
        assertThat(Instant.parse((String) created.get("startedAt"))).isBefore(Instant.now().plusSeconds(1));

        execute(api, WORKFLOW, key, SEED_BODY).expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).isEqualTo(created);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api.get()
                .uri("/v1/executions/{id}", created.get("executionId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.output.transactionId").isEqualTo("txn-98765")
                .jsonPath("$.output.accepted").isEqualTo(true));
    }

    @Test
    void shouldAnswerEveryDocumentedErrorWithCodeTitleAndMessage() {
        execute(api, WORKFLOW, null, SEED_BODY).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.title").isEqualTo("Bad Request")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("Idempotency-Key"));
        execute(api, UUID.randomUUID().toString(), "k", SEED_BODY).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_NOT_FOUND").jsonPath("$.title").isEqualTo("Not Found");
        String key = UUID.randomUUID().toString();
        execute(api, WORKFLOW, key, SEED_BODY).expectStatus().isCreated();
        execute(api, WORKFLOW, key, "{\"inputData\":{\"amount\":1}}").expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED");
        String big = "{\"inputData\":{\"blob\":\"" + "x".repeat(1_100_000) + "\"}}";
        execute(api, WORKFLOW, UUID.randomUUID().toString(), big).expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        execute(api, WORKFLOW, UUID.randomUUID().toString(), "{\"inputData\":").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        execute(api, WORKFLOW, UUID.randomUUID().toString(), "{\"inputData\":[1,2]}").expectStatus().isBadRequest();
        api.post().uri("/v1/workflows/{id}/executions", WORKFLOW).header("Idempotency-Key", "k")
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange().expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        execute(stack.anonymous(), WORKFLOW, "k", SEED_BODY).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        execute(stack.anonymous().mutate().defaultHeader("X-API-Key", TestStack.OTHER_TENANT_KEY).build(), WORKFLOW,
                "k", SEED_BODY).expectStatus().isNotFound();
    }
}
