package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * {@code POST /v1/events} as a sender would use it: each mode of the CloudEvents HTTP binding lands on the event log
 * as a CloudEvent in the Kafka binding, stamped with the API key's tenant whatever it claims; every malformed event
 * gets a 400 naming what is wrong and writes nothing.
 */
class EventsIT extends IngressTestBase {

    private static final String TOPIC = "runstream.events";
    private static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");
    private static final MediaType BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");

    @Test
    void shouldWriteAStructuredEventToTheLogWithTheSendersTenant() {
        String id = UUID.randomUUID().toString();
        web.post().uri("/v1/events").contentType(STRUCTURED).bodyValue("""
                {"specversion": "1.0", "id": "%s", "source": "/payments", "type": "payment.settled",
                 "subject": "order-7", "datacontenttype": "application/json", "data": {"order": 7, "ok": true},
                 "runstreamtenant": "other", "region": "eu"}
                """.formatted(id)).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted[0].id").isEqualTo(id)
                .jsonPath("$.accepted[0].source").isEqualTo("/payments");

        ConsumerRecord<String, CloudEvent> record = read(id);
        CloudEvent event = record.value();
        assertThat(event.getType()).isEqualTo("payment.settled");
        assertThat(event.getSubject()).isEqualTo("order-7");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).contains("\"order\":7");
        assertThat(event.getExtension("runstreamtenant")).as("the key's tenant, not the claim").isEqualTo("default");
        assertThat(event.getExtension("region")).isEqualTo("eu");
        assertThat(record.key()).isEqualTo("default//payments");
        assertThat(headers(record)).as("the Kafka binding's binary mode").containsEntry("ce_id", id)
                .containsEntry("ce_runstreamtenant", "default").containsEntry("content-type", "application/json");
    }

    @Test
    void shouldWriteABinaryModeEvent() {
        String id = UUID.randomUUID().toString();
        web.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "urn:shop")
                .header("ce-type", "order.placed").header("ce-runstreamtenant", "other")
                .bodyValue("{\"order\":8}").exchange()
                .expectStatus().isAccepted();

        CloudEvent event = read(id).value();
        assertThat(event.getType()).isEqualTo("order.placed");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"order\":8}");
        assertThat(event.getExtension("runstreamtenant")).isEqualTo("default");
    }

    @Test
    void shouldWriteEveryEventOfABatchOrNoneOfThem() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        web.post().uri("/v1/events").contentType(BATCH).bodyValue("""
                [{"specversion": "1.0", "id": "%s", "source": "/a", "type": "t"},
                 {"specversion": "1.0", "id": "%s", "source": "/a", "type": "t"},
                 {"specversion": "1.0", "id": "%s", "source": "/a"}]
                """.formatted(first, second, bad)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_EVENT")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("event 2 of the batch")
                        .contains("'type'").contains("missing"));

        web.post().uri("/v1/events").contentType(BATCH).bodyValue("""
                [{"specversion": "1.0", "id": "%s", "source": "/a", "type": "t"},
                 {"specversion": "1.0", "id": "%s", "source": "/a", "type": "t", "data": "two"}]
                """.formatted(first, second)).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted.length()").isEqualTo(2);
        List<String> ids = readAll(List.of(first, second)).stream().map(r -> r.value().getId()).toList();
        assertThat(ids).as("the refused batch wrote nothing: each id once").containsExactly(first, second);
    }

    @Test
    void shouldRefuseAMalformedEventNamingWhatIsWrong() {
        Map<String, String> structured = Map.of(
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\"}", "'source' is missing",
                "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}", "specversion '0.3'",
                "{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}", "'id' is not a non-empty",
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",", "not valid JSON",
                "[1]", "JSON object");
        structured.forEach((body, message) -> web.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_EVENT")
                .jsonPath("$.message").value(m -> assertThat((String) m).as(body).contains(message)));

        web.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s")
                .bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("'type' is missing")
                        .contains("ce-type"));
        web.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s")
                .header("ce-type", "t").bodyValue("{not json").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("data (application/json) is not valid JSON"));
        web.post().uri("/v1/events").contentType(BATCH).bodyValue("[]").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("The batch holds no event");
    }

    @Test
    void shouldRefuseTooManyOrTooLargeEventsAndMissingKeys() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"").append(i)
                    .append("\",\"source\":\"/m\",\"type\":\"t\"}");
        }
        web.post().uri("/v1/events").contentType(BATCH).bodyValue(many.append(']').toString()).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("101 events")
                        .contains("max-batch"));
        web.post().uri("/v1/events").contentType(MediaType.TEXT_PLAIN)
                .header("ce-specversion", "1.0").header("ce-id", "big").header("ce-source", "/s")
                .header("ce-type", "t").bodyValue("x".repeat(1010 * 1024)).exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        anonymous.post().uri("/v1/events").contentType(STRUCTURED)
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}").exchange()
                .expectStatus().isUnauthorized();
    }

    private ConsumerRecord<String, CloudEvent> read(String id) {
        return readAll(List.of(id)).get(0);
    }

    /**
     * The records of these event ids on the log, read from its start, in log order. An event with no data is a
     * record with a null value, for which Kafka calls no deserializer: so each is read from its headers and value
     * as the README shows a consumer should.
     */
    private List<ConsumerRecord<String, CloudEvent>> readAll(List<String> ids) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "events-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, CloudEvent>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.stream().map(r -> r.value().getId()).distinct().count() < ids.size()
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keep(r, ids, found));
            }
            // one more poll, so a duplicate written just after would be seen too
            consumer.poll(Duration.ofMillis(500)).forEach(r -> keep(r, ids, found));
        }
        assertThat(found).as("records for %s", ids).isNotEmpty();
        return found;
    }

    private static void keep(ConsumerRecord<String, byte[]> record, List<String> ids,
            List<ConsumerRecord<String, CloudEvent>> found) {
        CloudEvent event = KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
        if (ids.contains(event.getId())) {
            found.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
                    event, record.headers(), record.leaderEpoch()));
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, CloudEvent> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
