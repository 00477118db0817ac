package io.runstream.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.testkit.HttpStub;
import io.runstream.worker.runner.WebClientHttpCaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's conformance suite: each file in src/test/resources/conformance holds a definition, an input and the
 * expected output or error, and optionally task steps the run must report. {@code @base@} in a file stands for a
 * real HTTP server on 127.0.0.1 started by this test.
 */
class ConformanceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpStub SERVER = new HttpStub();
    private final WorkflowInterpreter interpreter = new WorkflowInterpreter(
            new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20), Clock.systemUTC());

    static Stream<Path> cases() throws IOException {
        return Files.list(Path.of("src/test/resources/conformance")).filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldBehaveAsTheCaseExpects(Path file) throws IOException {
        JsonNode spec = YAML.readTree(Files.readString(file).replace("@base@", SERVER.baseUrl()));
        JsonNode expect = spec.get("expect");
        List<TaskStep> steps = new CopyOnWriteArrayList<>();
        var run = interpreter.run(spec.get("workflow"), spec.get("input"), steps::add);

        if (expect.has("output")) {
            assertThat(run.block(Duration.ofSeconds(30))).as(spec.path("description").asText())
                    .isEqualTo(expect.get("output"));
        } else {
            JsonNode error = expect.get("error");
            assertThatThrownBy(() -> run.block(Duration.ofSeconds(30)))
                    .as(spec.path("description").asText())
                    .isInstanceOfSatisfying(WorkflowError.class, e -> {
                        for (String field : List.of("type", "title", "detail", "instance")) {
                            if (error.has(field)) {
                                assertThat(e.toJson().path(field).asText()).as(field)
                                        .isEqualTo(error.get(field).asText());
                            }
                        }
                        if (error.has("status")) {
                            assertThat(e.status()).isEqualTo(error.get("status").asInt());
                        }
                    });
        }
        for (JsonNode step : expect.path("steps")) {
            assertThat(steps).as("a step like %s among %s", step, steps).anySatisfy(actual -> {
                assertThat(actual.position()).isEqualTo(step.get("position").asText());
                assertThat(actual.status().name()).isEqualTo(step.get("status").asText());
                if (step.has("attempts")) {
                    assertThat(actual.attempts()).isEqualTo(step.get("attempts").asInt());
                }
            });
        }
    }
}
