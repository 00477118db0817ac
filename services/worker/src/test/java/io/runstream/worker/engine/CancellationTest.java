package io.runstream.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.testkit.HttpStub;
import io.runstream.worker.runner.WebClientHttpCaller;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** Cancelling a run's subscription stops it in the middle of a task, not only between tasks. */
class CancellationTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final HttpStub server = new HttpStub();
    private final WorkflowInterpreter interpreter = new WorkflowInterpreter(
            new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(30), 1 << 20), Clock.systemUTC());
    private final List<TaskStep> steps = new CopyOnWriteArrayList<>();
    private final AtomicReference<Object> signal = new AtomicReference<>();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Disposable start(String tasks) throws Exception {
        JsonNode workflow = YAML.readTree("""
                document: {dsl: "1.0.0", namespace: test, name: cancel, version: "0.1.0"}
                do:
                """ + tasks);
        return interpreter.run(workflow, YAML.createObjectNode(), steps::add)
                .subscribe(signal::set, signal::set);
    }

    @Test
    void shouldStopInTheMiddleOfAnHttpCall() throws Exception {
        Disposable run = start("""
                  - call:
                      call: http
                      with:
                        method: get
                        endpoint: "%s/slow?ms=20000"
                  - after:
                      set: {reached: true}
                """.formatted(server.baseUrl()));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.calls("/slow") == 1);

        run.dispose();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(steps).singleElement()
                .satisfies(step -> {
                    assertThat(step.position()).isEqualTo("/do/0/call");
                    assertThat(step.status()).isEqualTo(TaskStep.Status.CANCELLED);
                }));
        assertThat(signal.get()).as("a cancelled run neither succeeds nor fails").isNull();
    }

    @Test
    void shouldStopInTheMiddleOfAWait() throws Exception {
        Disposable run = start("""
                  - first:
                      set: {started: true}
                  - pause:
                      wait: PT1H
                """);
        await().atMost(Duration.ofSeconds(5)).until(() -> steps.size() == 1);

        run.dispose();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(steps).extracting(TaskStep::status)
                .containsExactly(TaskStep.Status.COMPLETED, TaskStep.Status.CANCELLED));
        assertThat(signal.get()).isNull();
    }
}
