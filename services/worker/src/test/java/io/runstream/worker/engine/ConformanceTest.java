package io.runstream.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's conformance suite: each file in src/test/resources/conformance holds a definition, an input and
 * the expected output or error.
 */
class ConformanceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final WorkflowInterpreter interpreter = new WorkflowInterpreter();

    static Stream<Path> cases() throws IOException {
        return Files.list(Path.of("src/test/resources/conformance")).filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldBehaveAsTheCaseExpects(Path file) throws IOException {
        JsonNode spec = YAML.readTree(file.toFile());
        JsonNode expect = spec.get("expect");

        if (expect.has("output")) {
            assertThat(interpreter.run(spec.get("workflow"), spec.get("input")))
                    .as(spec.path("description").asText()).isEqualTo(expect.get("output"));
        } else {
            JsonNode error = expect.get("error");
            assertThatThrownBy(() -> interpreter.run(spec.get("workflow"), spec.get("input")))
                    .as(spec.path("description").asText())
                    .isInstanceOfSatisfying(WorkflowError.class, e -> {
                        if (error.has("status")) {
                            assertThat(e.status()).isEqualTo(error.get("status").asInt());
                        }
                        if (error.has("title")) {
                            assertThat(e.title()).isEqualTo(error.get("title").asText());
                        }
                        if (error.has("detail")) {
                            assertThat(e.detail()).isEqualTo(error.get("detail").asText());
                        }
                        if (error.has("type")) {
                            assertThat(e.type()).isEqualTo(error.get("type").asText());
                        }
                        if (error.has("instance")) {
                            assertThat(e.instance()).isEqualTo(error.get("instance").asText());
                        }
                    });
        }
    }
}
