package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.testkit.HttpStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite run through the step-function machine: each file in src/test/resources/conformance holds a
 * definition, an input and the expected output or error, and optionally task steps the run must report.
 * {@code @base@} stands for a real HTTP server on 127.0.0.1 started by this test, which the driver's runner calls.
 */
class MachineConformanceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpStub SERVER = new HttpStub();

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
        MachineDriver driver = new MachineDriver(new Machine(Limits.DEFAULT), LoopbackRunner::send);

        List<JsonNode> events = new java.util.ArrayList<>();
        spec.path("events").forEach(events::add);
        Outcome outcome = driver.run(Definition.parse(spec.get("workflow")), spec.get("input"), events);

        String description = spec.path("description").asText();
        if (expect.has("output")) {
            assertThat(outcome).as(description).isInstanceOfSatisfying(Outcome.Succeeded.class,
                    s -> assertThat(s.output()).isEqualTo(expect.get("output")));
        } else {
            JsonNode expected = expect.get("error");
            WorkflowError error = outcome instanceof Outcome.Failed f ? f.error()
                    : outcome instanceof Outcome.TimedOut t ? t.error() : null;
            assertThat(error).as("%s: %s", description, outcome).isNotNull();
            for (String field : List.of("type", "title", "detail", "instance")) {
                if (expected.has(field)) {
                    assertThat(error.toJson().path(field).asText()).as(field).isEqualTo(expected.get(field).asText());
                }
            }
            if (expected.has("status")) {
                assertThat(error.status()).isEqualTo(expected.get("status").asInt());
            }
        }
        for (JsonNode step : expect.path("steps")) {
            assertThat(driver.steps).as("a step like %s among %s", step, driver.steps).anySatisfy(actual -> {
                assertThat(actual.position()).isEqualTo(step.get("position").asText());
                assertThat(actual.status().name()).isEqualTo(step.get("status").asText());
                if (step.has("attempts")) {
                    assertThat(actual.attempts()).isEqualTo(step.get("attempts").asInt());
                }
                if (step.has("events")) {
                    assertThat(actual.events()).as("events").hasSize(step.get("events").size());
                    for (int i = 0; i < actual.events().size(); i++) {
                        EventRef ref = actual.events().get(i);
                        JsonNode want = step.get("events").get(i);
                        Map<String, String> fields = Map.of("direction", ref.direction().name(), "type", ref.type(),
                                "source", ref.source(), "id", ref.id());
                        want.properties().forEach(e -> assertThat(fields.get(e.getKey())).as(e.getKey())
                                .isEqualTo(e.getValue().asText()));
                    }
                }
            });
        }
    }
}
