package io.runstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.RunDispatched;
import io.runstream.schemas.internal.RunReported;
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
 * src/test/resources/released/), so old and new producers and consumers keep working together.
 */
class SchemaCompatibilityTest {

    private static final String RELEASE = "0.1.0";
    private static final List<String> SHARED = List.of("ExecutionError.avsc", "ExecutionStatus.avsc");

    static Stream<Arguments> contracts() {
        return Stream.of(
                Arguments.of("ExecutionRequested.avsc", ExecutionRequested.getClassSchema()),
                Arguments.of("ExecutionStopRequested.avsc", ExecutionStopRequested.getClassSchema()),
                Arguments.of("ExecutionStatusChanged.avsc", ExecutionStatusChanged.getClassSchema()),
                Arguments.of("WorkflowDefinition.avsc", WorkflowDefinition.getClassSchema()),
                Arguments.of("RunDispatched.avsc", RunDispatched.getClassSchema()),
                Arguments.of("RunReported.avsc", RunReported.getClassSchema()),
                Arguments.of("ExecutionState.avsc", ExecutionState.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    void shouldStayBackwardAndForwardCompatibleWithTheLastRelease(String file, Schema current) throws IOException {
        Schema released = released(file);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .as("current %s reads data written with release %s", file, RELEASE)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
                .as("release %s reads data written with current %s", RELEASE, file)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema released(String file) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String shared : SHARED) {
            parse(parser, shared);
        }
        return parse(parser, file);
    }

    private static Schema parse(Schema.Parser parser, String file) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/released/" + RELEASE + "/" + file)) {
            return parser.parse(in);
        }
    }
}
