package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.schemas.ExecutionSignalled;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * {@code POST /v1/executions/{id}/signals} as a sender would use it: a structured or binary CloudEvent lands on the
 * signals topic as an ExecutionSignalled keyed by the execution, stamped with the API key's tenant whatever the event
 * claims; a batch, a malformed event, an oversized one, a missing key and an id that names no execution are refused
 * and write nothing.
 */
class SignalsIT extends IngressTestBase {

    private static final String TOPIC = "runstream.executions.signals";
    private static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");
    private static final MediaType BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldPutAStructuredSignalOnTheSignalsTopicKeyedByItsExecutionWithTheKeysTenant() throws Exception {
        String execution = UUID.randomUUID().toString();
        Instant before = Instant.now().minusSeconds(1);

        web.post().uri("/v1/executions/{id}/signals", execution).contentType(STRUCTURED).bodyValue("""
                {"specversion": "1.0", "id": "approval-1", "source": "/approvals", "type": "approval.granted",
                 "subject": "order-7", "datacontenttype": "application/json", "data": {"order": 7, "ok": true},
                 "runstreamtenant": "other", "region": "eu"}
                """).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.executionId").isEqualTo(execution)
                .jsonPath("$.eventId").isEqualTo("approval-1")
                .jsonPath("$.source").isEqualTo("/approvals");

        ConsumerRecord<String, ExecutionSignalled> record = read(execution, 1).get(0);
        assertThat(record.key()).as("keyed by the execution").isEqualTo(execution);
        ExecutionSignalled signal = record.value();
        assertThat(signal.getExecutionId()).isEqualTo(execution);
        assertThat(signal.getTenant()).as("the key's tenant, not the claim").isEqualTo("default");
        assertThat(signal.getRequestedAt()).isAfter(before).isBefore(Instant.now());
        JsonNode event = JSON.readTree(signal.getEventJson());
        assertThat(event.path("runstreamtenant").asText()).as("the claim overwritten").isEqualTo("default");
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("id").asText()).isEqualTo("approval-1");
        assertThat(event.path("type").asText()).isEqualTo("approval.granted");
        assertThat(event.path("subject").asText()).isEqualTo("order-7");
        assertThat(event.path("region").asText()).isEqualTo("eu");
        assertThat(event.path("data")).as("JSON data stays JSON").isEqualTo(JSON.readTree("{\"order\":7,\"ok\":true}"));
        assertThat(event.has("data_base64")).isFalse();
    }

    @Test
    void shouldPutABinarySignalWithJsonDataAsJsonAndOtherDataInBase64() throws Exception {
        String execution = UUID.randomUUID().toString();

        web.post().uri("/v1/executions/{id}/signals", execution).contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "cb-1").header("ce-source", "urn:carrier")
                .header("ce-type", "shipment.picked").header("ce-runstreamtenant", "other")
                .bodyValue("{\"parcel\":8}").exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.eventId").isEqualTo("cb-1");
        web.post().uri("/v1/executions/{id}/signals", execution).contentType(MediaType.TEXT_PLAIN)
                .header("ce-specversion", "1.0").header("ce-id", "cb-2").header("ce-source", "urn:carrier")
                .header("ce-type", "shipment.note").bodyValue("left at the door").exchange()
                .expectStatus().isAccepted();

        List<ConsumerRecord<String, ExecutionSignalled>> records = read(execution, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(execution, execution);
        assertThat(records).extracting(r -> r.value().getTenant()).containsExactly("default", "default");
        JsonNode json = JSON.readTree(records.get(0).value().getEventJson());
        assertThat(json.path("id").asText()).isEqualTo("cb-1");
        assertThat(json.path("type").asText()).isEqualTo("shipment.picked");
        assertThat(json.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(json.path("runstreamtenant").asText()).isEqualTo("default");
        assertThat(json.path("data")).isEqualTo(JSON.readTree("{\"parcel\":8}"));
        JsonNode text = JSON.readTree(records.get(1).value().getEventJson());
        assertThat(text.path("datacontenttype").asText()).isEqualTo("text/plain");
        assertThat(text.has("data")).isFalse();
        assertThat(new String(Base64.getDecoder().decode(text.path("data_base64").asText()), StandardCharsets.UTF_8))
                .isEqualTo("left at the door");
    }

    @Test
    void shouldRefuseABatchAnEventWithoutATypeAndDataThatIsNotJsonWritingNothing() {
        String execution = UUID.randomUUID().toString();

        web.post().uri("/v1/executions/{id}/signals", execution).contentType(BATCH)
                .bodyValue("[{\"specversion\":\"1.0\",\"id\":\"b-1\",\"source\":\"/s\",\"type\":\"t\"}]").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_EVENT")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("one event").contains("batch"));
        web.post().uri("/v1/executions/{id}/signals", execution).contentType(STRUCTURED)
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"n-1\",\"source\":\"/s\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_EVENT")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("'type' is missing"));
        web.post().uri("/v1/executions/{id}/signals", execution).contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "n-2").header("ce-source", "/s")
                .bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("'type' is missing")
                        .contains("ce-type"));
        web.post().uri("/v1/executions/{id}/signals", execution)
                .header("ce-specversion", "1.0").header("ce-id", "n-3").header("ce-source", "/s")
                .header("ce-type", "t").bodyValue("not json".getBytes(StandardCharsets.UTF_8)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_EVENT")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("'datacontenttype' is absent"));

        assertOnlyTheMarkerIsWritten(execution);
    }

    @Test
    void shouldRefuseAnOversizedSignalAndARequestWithoutAKeyWritingNothing() {
        String execution = UUID.randomUUID().toString();

        web.post().uri("/v1/executions/{id}/signals", execution).contentType(MediaType.TEXT_PLAIN)
                .header("ce-specversion", "1.0").header("ce-id", "big-1").header("ce-source", "/s")
                .header("ce-type", "t").bodyValue("x".repeat(1100 * 1024)).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        // under the body limit, but over the record limit once the data is in base64
        web.post().uri("/v1/executions/{id}/signals", execution).contentType(MediaType.TEXT_PLAIN)
                .header("ce-specversion", "1.0").header("ce-id", "big-2").header("ce-source", "/s")
                .header("ce-type", "t").bodyValue("x".repeat(800 * 1024)).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("max-record-size"));
        anonymous.post().uri("/v1/executions/{id}/signals", execution).contentType(STRUCTURED)
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"anon\",\"source\":\"/s\",\"type\":\"t\"}").exchange()
                .expectStatus().isUnauthorized();

        assertOnlyTheMarkerIsWritten(execution);
    }

    @Test
    void shouldAnswerAnIdThatIsNotAUuidAsTheCommandsDo() {
        web.post().uri("/v1/executions/not-a-uuid/signals").contentType(STRUCTURED)
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\"}").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
        web.post().uri("/v1/executions/not-a-uuid/stop").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
    }

    @Test
    void shouldCreateTheSignalsTopicWithAsManyPartitionsAsTheCommandsTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.kafkaBootstrapServers()))) {
            var topics = admin.describeTopics(List.of(TOPIC, "runstream.executions.commands")).allTopicNames()
                    .get();
            assertThat(topics.get(TOPIC).partitions()).hasSize(6)
                    .hasSameSizeAs(topics.get("runstream.executions.commands").partitions());
        }
    }

    /**
     * Sends a valid signal after the refused ones and reads the execution's records up to it: on one key they share
     * a partition, so anything a refused request had written would come before it.
     */
    private void assertOnlyTheMarkerIsWritten(String execution) {
        web.post().uri("/v1/executions/{id}/signals", execution).contentType(STRUCTURED)
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"marker\",\"source\":\"/s\",\"type\":\"t\"}").exchange()
                .expectStatus().isAccepted();
        List<ConsumerRecord<String, ExecutionSignalled>> records = read(execution, 1);
        assertThat(records).extracting(r -> id(r.value())).as("the marker alone").containsExactly("marker");
    }

    private static String id(ExecutionSignalled signal) {
        try {
            return JSON.readTree(signal.getEventJson()).path("id").asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + signal.getEventJson(), e);
        }
    }

    /** The execution's records on the signals topic, from its start, once at least {@code count} are there. */
    private List<ConsumerRecord<String, ExecutionSignalled>> read(String execution, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "signals-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Predicate<ConsumerRecord<String, ExecutionSignalled>> ours = r -> r.value().getExecutionId().equals(execution)
                || execution.equals(r.key());
        List<ConsumerRecord<String, ExecutionSignalled>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new AvroDeserializer<>(SchemaRegistry.forUrl(infra.schemaRegistryUrl()), ExecutionSignalled.class))) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (ours.test(r)) {
                        found.add(r);
                    }
                });
            }
            // one more poll, so a record written just after would be seen too
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (ours.test(r)) {
                    found.add(r);
                }
            });
        }
        assertThat(found).as("records for %s", execution).hasSizeGreaterThanOrEqualTo(count);
        return found;
    }
}
