package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.testkit.HttpStub;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.LoopbackRunner;
import io.runstream.worker.runner.ActivityRunner;
import io.runstream.worker.runner.OpenApiRunner;
import io.runstream.worker.runner.WebClientHttpCaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite through the worker's processor: each case starts as an ExecutionRequested, its activities
 * are performed by a fake runner against a real HTTP server on 127.0.0.1 (a call: openapi by the runner's own OpenAPI
 * path, which reads the documents that server serves), and its timers fire as the driver's wall clock advances. The outcome and task steps are read from the status and tasks topics, as a user would.
 */
class ProcessorConformanceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpStub SERVER = new HttpStub();
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    /** Reads OpenAPI documents and makes the calls they describe, as the worker's runner does. */
    private static final OpenApiRunner OPENAPI = new OpenApiRunner(new ActivityRunner(new WebClientHttpCaller(
            Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20), 1 << 20), Duration.ofMinutes(5), 100,
            Clock.systemUTC());

    /** The engine's cases, and the worker's own: those whose activities need the worker's runner (call: openapi). */
    static Stream<Path> cases() throws IOException {
        return Stream.concat(Files.list(Path.of("../engine/src/test/resources/conformance")),
                        Files.list(Path.of("src/test/resources/conformance")))
                .filter(p -> p.toString().endsWith(".yaml")).sorted(java.util.Comparator.comparing(Path::getFileName));
    }

    /** A plain call as it is; a call: openapi through the runner's OpenAPI path. */
    private static HttpResponse perform(HttpRequest request) {
        return request.openApi() == null ? LoopbackRunner.send(request) : OPENAPI.perform(request, "default", "e1",
                request.headers().get(ActivityRunner.IDEMPOTENCY_KEY), Duration.ofSeconds(5))
                .block(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    /**
     * A case's event as a user sends it: to the event log as a producer writes it (the Kafka binding's binary mode,
     * with the tenant), or, written {@code {signal: event}}, to the execution alone.
     */
    private static void send(TopologyHarness harness, JsonNode event) throws IOException {
        if (event.has("signal")) {
            harness.signals.pipeInput("e1", io.runstream.schemas.ExecutionSignalled.newBuilder().setExecutionId("e1")
                    .setTenant("default").setEventJson(JSON.writeValueAsString(event.get("signal")))
                    .setRequestedAt(TopologyHarness.START).build());
            return;
        }
        io.cloudevents.CloudEvent parsed = new io.cloudevents.jackson.JsonFormat()
                .deserialize(JSON.writeValueAsBytes(event));
        io.cloudevents.core.builder.CloudEventBuilder builder = io.cloudevents.core.builder.CloudEventBuilder
                .from(parsed).withExtension("runstreamtenant", "default");
        if (parsed.getData() != null && parsed.getDataContentType() == null) {
            builder.withData("application/json", parsed.getData());
        }
        harness.sendEvent(builder.build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldBehaveAsTheCaseExpects(Path file) throws IOException {
        JsonNode spec = YAML.readTree(Files.readString(file).replace("@base@", SERVER.baseUrl()));
        JsonNode expect = spec.get("expect");
        String description = spec.path("description").asText();
        List<ExecutionTaskEnded> steps = new ArrayList<>();
        ExecutionStatusChanged terminal = null;
        try (TopologyHarness harness = new TopologyHarness()) {
            harness.commands.pipeInput("e1", TopologyHarness.request("e1",
                    JSON.writeValueAsString(spec.get("workflow")), JSON.writeValueAsString(spec.get("input"))));
            java.util.ArrayDeque<JsonNode> events = new java.util.ArrayDeque<>();
            spec.path("events").forEach(events::add);
            for (int turn = 0; turn < 3_000 && terminal == null; turn++) {
                for (ExecutionStatusChanged event : harness.status.readValuesToList()) {
                    if (TERMINAL.contains(event.getStatus().name())) {
                        terminal = event;
                    }
                }
                if (terminal == null && harness.runActivities(ProcessorConformanceTest::perform) == 0) {
                    if (events.isEmpty()) {
                        harness.advance(Duration.ofMillis(100));
                    } else {
                        send(harness, events.poll());
                    }
                }
            }
            steps.addAll(harness.tasks.readValuesToList());
        }

        assertThat(terminal).as("%s: the execution ended", description).isNotNull();
        if (expect.has("output")) {
            assertThat(terminal.getStatus().name()).as("%s: %s", description, terminal.getError())
                    .isEqualTo("SUCCEEDED");
            assertThat(JSON.readTree(terminal.getOutputJson())).as(description).isEqualTo(expect.get("output"));
        } else {
            JsonNode error = expect.get("error");
            assertThat(terminal.getStatus().name()).isIn("FAILED", "TIMED_OUT");
            String message = terminal.getError().getMessage();
            for (String field : List.of("type", "title", "detail")) {
                if (error.has(field)) {
                    assertThat(message).as(field).contains(error.get(field).asText());
                }
            }
            if (error.has("instance")) {
                assertThat(message).as("instance").contains("at " + error.get("instance").asText() + ")");
            }
            if (error.has("status")) {
                assertThat(message).as("status").contains("(status " + error.get("status").asInt());
            }
        }
        for (JsonNode step : expect.path("steps")) {
            assertThat(steps).as("a step like %s among %s", step, steps).anySatisfy(actual -> {
                assertThat(actual.getPosition()).isEqualTo(step.get("position").asText());
                assertThat(actual.getStatus().name()).isEqualTo(step.get("status").asText());
                if (step.has("attempts")) {
                    assertThat(actual.getTaskAttempts()).isEqualTo(step.get("attempts").asInt());
                }
            });
        }
    }
}
