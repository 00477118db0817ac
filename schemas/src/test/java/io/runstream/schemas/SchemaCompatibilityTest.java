package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every contract must stay backward and forward compatible with its last released version (kept in
 * src/test/resources/released/), so old and new producers and consumers keep working together. The worker's private
 * records are checked in the worker, where they live.
 */
class SchemaCompatibilityTest {

    private static final String RELEASE = "0.1.0";
    /** The public contracts first released with 0.2.0. */
    private static final String NEXT = "0.2.0";
    /** The control contracts first released with 0.3.0, frozen as released. */
    private static final String CONTROL = "0.3.0";
    private static final List<String> SHARED = List.of("ExecutionError.avsc", "ExecutionStatus.avsc");

    static Stream<Arguments> contracts() {
        return Stream.of(
                Arguments.of("ExecutionRequested.avsc", ExecutionRequested.getClassSchema()),
                Arguments.of("ExecutionStopRequested.avsc", ExecutionStopRequested.getClassSchema()),
                Arguments.of("ExecutionStatusChanged.avsc", ExecutionStatusChanged.getClassSchema()),
                Arguments.of("WorkflowDefinition.avsc", WorkflowDefinition.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void shouldStayBackwardAndForwardCompatibleWithTheLastRelease(String file, Schema current) throws IOException {
        Schema released = released(file);

        assertBothWays(file, current, released, RELEASE);
    }

    /** Public contracts first released with 0.2.0, frozen as released. */
    static Stream<Arguments> published() {
        return Stream.of(Arguments.of("ExecutionTaskEnded.avsc", ExecutionTaskEnded.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    void shouldStayBackwardAndForwardCompatibleWithTheirFirstRelease(String file, Schema current) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parse(parser, RELEASE, "ExecutionError.avsc");
        Schema released = parse(parser, NEXT, file);

        assertBothWays(file, current, released, NEXT);
    }

    static Stream<Arguments> control() {
        return Stream.of(
                Arguments.of("ExecutionCommandRequested.avsc", ExecutionCommandRequested.getClassSchema()),
                Arguments.of("ExecutionCommandDecided.avsc", ExecutionCommandDecided.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("control")
    void shouldStayBackwardAndForwardCompatibleWithTheControlRelease(String file, Schema current)
            throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parse(parser, RELEASE, "ExecutionStatus.avsc");
        if (!file.equals("ExecutionCommandRequested.avsc")) {
            parse(parser, CONTROL, "ExecutionCommandRequested.avsc");
        }
        Schema released = parse(parser, CONTROL, file);

        assertBothWays(file, current, released, CONTROL);
    }

    @org.junit.jupiter.api.Test
    void shouldLetAReleasedReaderDecodeAStatusEventWithAPhaseAndARedriveCount() throws IOException {
        ExecutionStatusChanged paused = ExecutionStatusChanged.newBuilder().setExecutionId("e1").setWorkflowId("w")
                .setTenant("t").setStatus(ExecutionStatus.RUNNING).setSequence(3).setAttempt(1)
                .setOccurredAt(java.time.Instant.parse("2026-12-02T10:00:00Z"))
                .setRequestedAt(java.time.Instant.parse("2026-12-02T09:59:59Z"))
                .setPhase(ExecutionPhase.SUSPENDED).setRedriveCount(2).build();
        var bytes = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(ExecutionStatusChanged.class).write(paused, encoder);
        encoder.flush();

        var reader = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                ExecutionStatusChanged.getClassSchema(), released("ExecutionStatusChanged.avsc"));
        var old = reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(old.get("status").toString()).isEqualTo("RUNNING");
        assertThat(old.get("sequence")).isEqualTo(3L);
        assertThat(old.getSchema().getField("phase")).as("a 0.1.0 reader does not see the phase").isNull();
        assertThat(old.getSchema().getField("redriveCount")).isNull();
    }

    @org.junit.jupiter.api.Test
    void shouldReadAnOrdinalOfZeroFromEventsWrittenBeforeItAndLetReleasedReadersSkipIt() throws IOException {
        ExecutionStatusChanged numbered = ExecutionStatusChanged.newBuilder().setExecutionId("e1").setWorkflowId("w")
                .setTenant("t").setStatus(ExecutionStatus.SUCCEEDED).setSequence(3).setAttempt(1)
                .setOccurredAt(java.time.Instant.parse("2026-12-02T10:00:00Z"))
                .setRequestedAt(java.time.Instant.parse("2026-12-02T09:59:59Z")).setOrdinal(6).build();
        var old = decode(encode(numbered, ExecutionStatusChanged.getClassSchema()),
                ExecutionStatusChanged.getClassSchema(), released("ExecutionStatusChanged.avsc"));
        assertThat(old.get("sequence")).isEqualTo(3L);
        assertThat(old.getSchema().getField("ordinal")).as("a 0.1.0 reader does not see the ordinal").isNull();

        var before = new org.apache.avro.generic.GenericData.Record(released("ExecutionStatusChanged.avsc"));
        org.apache.avro.generic.GenericRecord source = decode(encode(numbered,
                ExecutionStatusChanged.getClassSchema()), ExecutionStatusChanged.getClassSchema(),
                before.getSchema());
        var current = decode(encode(source, before.getSchema()), before.getSchema(),
                ExecutionStatusChanged.getClassSchema());
        assertThat(current.get("ordinal")).as("an event written by 0.1.0 reads as unnumbered").isEqualTo(0L);

        Schema.Parser parser = new Schema.Parser();
        parse(parser, RELEASE, "ExecutionError.avsc");
        Schema taskRelease = parse(parser, NEXT, "ExecutionTaskEnded.avsc");
        var step = new org.apache.avro.generic.GenericData.Record(taskRelease);
        step.put("executionId", "e1");
        step.put("tenant", "t");
        step.put("workflowId", "w");
        step.put("attempt", 1);
        step.put("name", "setRed");
        step.put("step", 1L);
        step.put("position", "/do/0/setRed");
        step.put("taskType", "set");
        step.put("status", new org.apache.avro.generic.GenericData.EnumSymbol(
                taskRelease.getField("status").schema(), "COMPLETED"));
        step.put("taskAttempts", 1);
        step.put("startedAt", 1L);
        step.put("endedAt", 2L);
        var read = decode(encode(step, taskRelease), taskRelease, ExecutionTaskEnded.getClassSchema());
        assertThat(read.get("ordinal")).as("a step written by 0.2.0 reads as unnumbered").isEqualTo(0L);
    }

    @org.junit.jupiter.api.Test
    void shouldLetAReleasedReaderSkipWhatAWaitingExecutionWaitsForAndReadOldEventsAsWaitingForNothing()
            throws IOException {
        ExecutionStatusChanged listening = ExecutionStatusChanged.newBuilder().setExecutionId("e1")
                .setWorkflowId("w").setTenant("t").setStatus(ExecutionStatus.RUNNING).setSequence(2).setAttempt(1)
                .setOccurredAt(java.time.Instant.parse("2026-12-02T10:00:00Z"))
                .setRequestedAt(java.time.Instant.parse("2026-12-02T09:59:59Z")).setPhase(ExecutionPhase.WAITING)
                .setWaitingFor(List.of(ListenWait.newBuilder().setPosition("/do/0/paid")
                        .setTypes(List.of("order.paid")).setCorrelations(java.util.Map.of("order", "7"))
                        .setSince(java.time.Instant.parse("2026-12-02T10:00:00Z")).build()))
                .build();
        Schema current = ExecutionStatusChanged.getClassSchema();
        var old = decode(encode(listening, current), current, released("ExecutionStatusChanged.avsc"));
        assertThat(old.get("sequence")).isEqualTo(2L);
        assertThat(old.getSchema().getField("waitingFor")).as("a 0.1.0 reader does not see it").isNull();

        var again = decode(encode(listening, current), current, current);
        assertThat(again.get("waitingFor").toString()).contains("/do/0/paid", "order.paid", "\"order\": \"7\"");

        Schema before = released("ExecutionStatusChanged.avsc");
        var written = decode(encode(listening, current), current, before);
        assertThat(decode(encode(written, before), before, current).get("waitingFor"))
                .as("an event written by 0.1.0 waits for nothing").isNull();
    }

    private static byte[] encode(Object record, Schema schema) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        (record instanceof org.apache.avro.specific.SpecificRecord
                ? new org.apache.avro.specific.SpecificDatumWriter<Object>(schema)
                : new org.apache.avro.generic.GenericDatumWriter<Object>(schema)).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static org.apache.avro.generic.GenericRecord decode(byte[] bytes, Schema writer, Schema reader)
            throws IOException {
        return new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(writer, reader)
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, null));
    }

    /** The current schema reads what the released one wrote, and the released one reads what the current writes. */
    private static void assertBothWays(String file, Schema current, Schema released, String release) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .as("current %s reads data written with release %s", file, release)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
                .as("release %s reads data written with current %s", release, file)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema released(String file) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String shared : SHARED) {
            parse(parser, RELEASE, shared);
        }
        return parse(parser, RELEASE, file);
    }

    private static Schema parse(Schema.Parser parser, String release, String file) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/released/" + release + "/" + file)) {
            return parser.parse(in);
        }
    }
}
