package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionError;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The projection on the JVM's shared real broker, registry and PostgreSQL; one Spring context serves every IT that
 * extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=projection", "runstream.projection.stuck-after=3s"})
@AutoConfigureWebTestClient
abstract class ProjectionTestBase {

    static final String STATUS = "runstream.executions.status";
    static final String TASKS = "runstream.executions.tasks";
    static final Infrastructure infra = Infrastructure.shared();
    static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry props) {
        infra.springProperties("projection").forEach((k, v) -> props.add(k, () -> v));
    }

    WebTestClient web;

    @Autowired
    WebTestClient anonymous;

    @BeforeEach
    void authenticate() {
        web = anonymous.mutate().defaultHeader("X-API-Key", "rs_dev_default_key").build();
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    static ExecutionStatusChanged event(String id, ExecutionStatus status, long sequence) {
        var builder = ExecutionStatusChanged.newBuilder().setExecutionId(id).setWorkflowId("demo")
                .setTenant("default").setStatus(status).setSequence(sequence).setAttempt(1)
                .setOccurredAt(T0.plusMillis(100 * sequence)).setRequestedAt(T0).setMetadata(Map.of());
        switch (status) {
            case QUEUED -> builder.setInputJson("{\"x\":1}").setMetadata(Map.of("sourceSystem", "crm"));
            case SUCCEEDED -> builder.setOutputJson("{\"y\":2}");
            case FAILED -> builder.setError(new ExecutionError("WORKFLOW_ERROR", "boom"));
            default -> { }
        }
        return builder.build();
    }

    static void send(String key, ExecutionStatusChanged... events) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionStatusChanged>(registry))) {
            for (var e : events) {
                producer.send(new ProducerRecord<>(STATUS, key, e)).get();
            }
        }
    }

}
