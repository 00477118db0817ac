package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionProgress;
import io.runstream.schemas.internal.ExecutionState;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker's private records must stay backward and forward compatible with their frozen copies (kept in
 * src/test/resources/released/): stored state and progress, and what sits on the internal topics, must stay readable
 * across deploys and by the other version during a rolling one.
 */
class InternalSchemaCompatibilityTest {

    /** The state's first release; it refers to that release's public status. */
    private static final String RELEASE = "0.1.0";
    /** The encodings first written by 0.2.0, frozen as written. */
    private static final String NEXT = "0.2.0";

    @org.junit.jupiter.api.Test
    void shouldKeepTheStateBackwardAndForwardCompatibleWithItsFirstRelease() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parse(parser, RELEASE, "ExecutionStatus.avsc");
        Schema released = parse(parser, RELEASE, "ExecutionState.avsc");

        assertBothWays("ExecutionState.avsc", ExecutionState.getClassSchema(), released, RELEASE);
    }

    static Stream<Arguments> frozen() {
        return Stream.of(
                Arguments.of("ExecutionProgress.avsc", ExecutionProgress.getClassSchema()),
                Arguments.of("ActivityDispatched.avsc", ActivityDispatched.getClassSchema()),
                Arguments.of("ActivityReported.avsc", ActivityReported.getClassSchema()),
                Arguments.of("ExecutionContinued.avsc", ExecutionContinued.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frozen")
    void shouldStayBackwardAndForwardCompatibleWithTheFrozenEncoding(String file, Schema current) throws IOException {
        Schema frozen = parse(new Schema.Parser(), NEXT, file);

        assertBothWays(file, current, frozen, NEXT);
    }

    /** The current schema reads what the frozen one wrote, and the frozen one reads what the current writes. */
    private static void assertBothWays(String file, Schema current, Schema released, String release) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType())
                .as("current %s reads data written with release %s", file, release)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType())
                .as("release %s reads data written with current %s", release, file)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema parse(Schema.Parser parser, String release, String file) throws IOException {
        try (InputStream in = InternalSchemaCompatibilityTest.class.getResourceAsStream(
                "/released/" + release + "/" + file)) {
            return parser.parse(in);
        }
    }
}
