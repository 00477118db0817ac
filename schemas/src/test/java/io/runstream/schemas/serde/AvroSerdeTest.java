package io.runstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.schemas.ExecutionError;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionRequested;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final SchemaRegistry registry = SchemaRegistry.forUrl("mock://" + UUID.randomUUID());

    static ExecutionStatusChanged failedEvent() {
        return ExecutionStatusChanged.newBuilder()
                .setExecutionId(UUID.randomUUID().toString())
                .setWorkflowId("demo")
                .setTenant("default")
                .setStatus(ExecutionStatus.FAILED)
                .setSequence(3)
                .setAttempt(1)
                .setOccurredAt(Instant.parse("2026-11-23T10:00:00.123Z"))
                .setRequestedAt(Instant.parse("2026-11-23T10:00:00Z"))
                .setError(new ExecutionError("WORKFLOW_ERROR", "boom"))
                .build();
    }

    @Test
    void shouldWriteMagicByteAndRegisteredSchemaIdThenAvro() {
        var serializer = new AvroSerializer<ExecutionStatusChanged>(registry);
        serializer.configure(Map.of(), false);

        byte[] bytes = serializer.serialize("runstream.executions.status", failedEvent());

        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(registry.schemaById(id)).isEqualTo(ExecutionStatusChanged.getClassSchema());
        assertThat(registry.register("runstream.executions.status-value", ExecutionStatusChanged.getClassSchema()))
                .isEqualTo(id);
    }

    @Test
    void shouldReadBackWhatItWrote() {
        var event = failedEvent();
        byte[] bytes = new AvroSerializer<ExecutionStatusChanged>(registry).serialize("t", event);

        var read = new AvroDeserializer<>(registry, ExecutionStatusChanged.class).deserialize("t", bytes);

        assertThat(read).isEqualTo(event);
        assertThat(read.getError().getCode()).isEqualTo("WORKFLOW_ERROR");
    }

    @Test
    void shouldRejectBytesWithoutMagicByte() {
        var deserializer = new AvroDeserializer<>(registry, ExecutionStatusChanged.class);

        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void shouldRejectUnknownSchemaId() {
        var deserializer = new AvroDeserializer<>(registry, ExecutionStatusChanged.class);

        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 99, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("99");
    }

    @Test
    void shouldRejectARecordOfAnotherType() {
        var request = ExecutionRequested.newBuilder()
                .setExecutionId("e").setTenant("t").setWorkflowId("w").setInputJson("{}")
                .setRequestedAt(Instant.now()).build();
        byte[] bytes = new AvroSerializer<ExecutionRequested>(registry).serialize("t", request);

        assertThatThrownBy(() -> new AvroDeserializer<>(registry, ExecutionStatusChanged.class).deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("expected " + ExecutionStatusChanged.class.getName());
    }

    @Test
    void shouldNameSubjectsAfterTheTopic() {
        assertThat(WireFormat.subject("runstream.executions.status", false))
                .isEqualTo("runstream.executions.status-value");
        assertThat(WireFormat.subject("runstream.executions.status", true))
                .isEqualTo("runstream.executions.status-key");
    }
}
