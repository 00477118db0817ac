package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.Ports;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The whole pipeline as a user meets it: POST to the ingress, the worker runs it, GET from the projection. */
class EndToEndIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static DevStack stack;
    private static WebTestClient ingress;
    private static WebTestClient projection;

    @BeforeAll
    static void startServices() throws Exception {
        var settings = new DevStackSettings(Files.createTempDirectory("e2e-"), 0, 0, 0, Ports.free(), Ports.free(),
                Ports.free());
        stack = DevStack.runServices(infra, settings, null);
        ingress = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + settings.ingressPort())
                .responseTimeout(Duration.ofSeconds(15)).build();
        projection = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + settings.projectionPort()).build();
        ingress.put().uri("/v1/workflows/demo").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document:
                          dsl: '1.0.0'
                          namespace: examples
                          name: demo
                          version: '0.1.0'
                        do:
                          - check:
                              if: ${ .raise != null }
                              raise:
                                error:
                                  type: https://example.com/errors/refused
                                  status: 422
                                  title: Refused
                                  detail: ${ .raise }
                          - echo:
                              set:
                                x: ${ .x }
                                done: true
                        """)
                .exchange().expectStatus().isCreated();
    }

    @AfterAll
    static void stopServices() {
        stack.close();
    }

    private static String start(String key, String body, int expectedStatus) {
        Map<?, ?> created = ingress.post().uri("/v1/workflows/demo/executions").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(expectedStatus)
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }

    @Test
    void shouldRunAnExecutionFromPostToSucceededView() {
        String key = UUID.randomUUID().toString();
        String id = start(key, "{\"inputData\":{\"x\":1}}", 201);
        assertThat(start(key, "{\"inputData\":{\"x\":1}}", 200)).isEqualTo(id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> projection.get().uri("/v1/executions/{id}", id)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.workflowId").isEqualTo("demo")
                .jsonPath("$.input.x").isEqualTo(1)
                .jsonPath("$.output.x").isEqualTo(1)
                .jsonPath("$.output.done").isEqualTo(true)
                .jsonPath("$.finishedAt").isNotEmpty()
                .jsonPath("$.durationMs").isNumber());
    }

    @Test
    void shouldShowAFailedExecutionWithItsError() {
        String id = start(UUID.randomUUID().toString(), "{\"inputData\":{\"raise\":\"insufficient funds\"}}", 201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> projection.get().uri("/v1/executions/{id}", id)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.error.code").isEqualTo("WORKFLOW_ERROR")
                .jsonPath("$.error.message").value(m -> assertThat((String) m)
                        .startsWith("Refused: insufficient funds (status 422")));
    }

    @Test
    void shouldPublishStatusEventsThatAnyRegistryAwareConsumerCanRead() {
        String id = start(UUID.randomUUID().toString(), "{\"inputData\":{\"n\":7}}", 201);
        var deserializer = new AvroDeserializer<ExecutionStatusChanged>();
        deserializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
        List<ExecutionStatusChanged> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "e2e-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of("runstream.executions.status"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(id)) {
                        seen.add(r.value());
                    }
                });
                assertThat(seen).extracting(ExecutionStatusChanged::getStatus)
                        .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
            });
        }
    }
}
