package io.runstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.testkit.Infrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The serde against a real Apicurio Registry (Confluent-compatible API) and a real Kafka broker. */
class AvroSerdeIT {

    private final Infrastructure infra = Infrastructure.shared();

    @Test
    void shouldRoundTripThroughRealBrokerAndRegistryInConfluentWireFormat() throws Exception {
        String topic = "serde-it-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        var event = AvroSerdeTest.failedEvent();
        Map<String, Object> common = Map.of("bootstrap.servers", infra.kafkaBootstrapServers(),
                "schema.registry.url", infra.schemaRegistryUrl());

        var producerProps = new java.util.HashMap<>(common);
        producerProps.put("acks", "all");
        var serializer = new AvroSerializer<ExecutionStatusChanged>();
        serializer.configure(common, false);
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, event.getExecutionId(), event)).get();
        }

        var consumerProps = new java.util.HashMap<>(common);
        consumerProps.put("group.id", topic);
        consumerProps.put("auto.offset.reset", "earliest");
        byte[] raw;
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.count()).isEqualTo(1);
            raw = records.iterator().next().value();
        }

        assertThat(raw[0]).isZero();
        int id = ByteBuffer.wrap(raw, 1, 4).getInt();
        HttpResponse<String> schema = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(infra.schemaRegistryUrl() + "/schemas/ids/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.body()).contains("ExecutionStatusChanged");
        HttpResponse<String> subjects = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(infra.schemaRegistryUrl() + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.body()).contains(topic + "-value");

        var fresh = new AvroDeserializer<ExecutionStatusChanged>();
        fresh.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl() + "/"), false);
        assertThat(fresh.deserialize(topic, raw)).isEqualTo(event);
    }
}
