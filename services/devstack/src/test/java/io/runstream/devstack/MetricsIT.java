package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every service's Prometheus endpoint, scraped without a key as a Prometheus server would, before and after a run:
 * each metric the operators' guide names is there, and moves.
 */
class MetricsIT {

    private static final TestStack stack = TestStack.shared();

    /** The scrape as Prometheus takes it: no key, plain text (a worker's is over 256 KB with Kafka's metrics). */
    private static String scrape(int port) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("scrape of port %d", port).isEqualTo(200);
        return response.body();
    }

    /** The sum of the samples of {@code name} whose labels contain every one of {@code labels}. */
    private static double value(String scrape, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            String labelPart = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}')) : "";
            if (List.of(labels).stream().allMatch(labelPart::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as("%s%s in the scrape", name, List.of(labels)).isTrue();
        return sum;
    }

    @Test
    void shouldBeLiveAndReadyWithKafkaTheRegistryAndTheDatabaseChecked() throws Exception {
        DevStackSettings ports = stack.settings;
        for (int port : List.of(ports.workerPort(), ports.ingressPort(), ports.projectionPort())) {
            var http = java.net.http.HttpClient.newHttpClient();
            var ready = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/readiness")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("readiness of port %d", port).isEqualTo(200);
            var health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body());
            List<String> checked = new java.util.ArrayList<>(List.of("readinessState", "kafka", "schemaRegistry"));
            if (port != ports.workerPort()) {
                checked.add("db"); // PostgreSQL, for the services that use it
            }
            for (String component : checked) {
                assertThat(health.path("components").path(component).path("status").asText())
                        .as("%s in the readiness of port %d", component, port).isEqualTo("UP");
            }
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/liveness")).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldExposeTheMetricsOfEveryServiceWithoutAKeyAndMoveThemWithARun() throws Exception {
        DevStackSettings ports = stack.settings;
        WebTestClient api = stack.client();
        double succeededBefore = value(scrape(ports.workerPort()), "runstream_executions_finished_total",
                "status=\"SUCCEEDED\"");
        api.put().uri("/v1/workflows/metered").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: t, name: metered, version: '0.1.0'}
                        do:
                          - nap:
                              wait: {milliseconds: 300}
                          - mark:
                              set: {done: true}
                        """).exchange().expectStatus().is2xxSuccessful();
        String key = UUID.randomUUID().toString();
        Map<?, ?> created = api.post().uri("/v1/workflows/metered/executions").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        api.post().uri("/v1/workflows/metered/executions").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isOk();
        api.post().uri("/v1/workflows/never-defined/executions").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isNotFound();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api.get()
                .uri("/v1/executions/{id}", created.get("executionId")).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED"));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                stack.infra.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("runstream.worker.activities", "poison",
                    "not an activity".getBytes())).get();
        }

        String ingress = scrape(ports.ingressPort());
        assertThat(value(ingress, "runstream_starts_total", "dialect=\"canonical\"", "result=\"201\"")).isPositive();
        assertThat(value(ingress, "runstream_starts_total", "dialect=\"canonical\"", "result=\"200\"")).isPositive();
        assertThat(value(ingress, "runstream_starts_total", "dialect=\"canonical\"", "result=\"404\"")).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String worker = scrape(ports.workerPort());
            assertThat(value(worker, "runstream_executions_finished_total", "status=\"SUCCEEDED\""))
                    .isGreaterThan(succeededBefore);
            assertThat(value(worker, "runstream_execution_duration_seconds_count", "status=\"SUCCEEDED\""))
                    .isPositive();
            assertThat(value(worker, "runstream_execution_duration_seconds_bucket", "status=\"SUCCEEDED\""))
                    .as("a histogram, for percentiles across instances").isPositive();
            assertThat(value(worker, "runstream_task_duration_seconds_count", "type=\"wait\"")).isPositive();
            assertThat(value(worker, "runstream_task_duration_seconds_count", "type=\"set\"")).isPositive();
            assertThat(value(worker, "runstream_timer_lag_seconds_count")).isPositive();
            assertThat(value(worker, "runstream_activities_in_flight")).isNotNegative();
            assertThat(value(worker, "runstream_dead_letters_total", "topic=\"runstream.worker.activities.dlt\""))
                    .as("the poison dispatch").isPositive();
            assertThat(value(worker, "kafka_consumer_fetch_manager_records_lag_max")).isNotNegative();
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String projection = scrape(ports.projectionPort());
            assertThat(value(projection, "runstream_projection_apply_lag_seconds_count")).isPositive();
            assertThat(value(projection, "runstream_executions_parked")).isNotNegative();
            assertThat(value(projection, "runstream_executions_suspended")).isNotNegative();
        });
        assertThat(value(scrape(ports.gatewayPort()), "jvm_memory_used_bytes")).isPositive();
    }
}
