package io.runstream.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.testkit.HttpStub;
import io.runstream.worker.runner.WebClientHttpCaller;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Workflow work after an HTTP response, a wait or a timer never runs on a network event loop or timer thread. */
class EngineThreadsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void shouldContinueOnTheEngineSchedulerAfterEveryAsynchronousStep() throws Exception {
        try (HttpStub stub = new HttpStub()) {
            var interpreter = new WorkflowInterpreter(new WebClientHttpCaller(Duration.ofSeconds(2),
                    Duration.ofSeconds(2), 1 << 20), Clock.systemUTC());
            Map<String, String> threads = new ConcurrentHashMap<>();
            var workflow = YAML.readTree("""
                    document: {dsl: "1.0.0", namespace: t, name: threads, version: "0.1.0"}
                    do:
                      - fetch:
                          call: http
                          with:
                            method: get
                            endpoint: "%s/orders/s-1"
                      - afterHttp:
                          set: {a: 1}
                      - pause:
                          wait: {milliseconds: 20}
                      - afterWait:
                          set: {b: 2}
                    """.formatted(stub.baseUrl()));

            interpreter.run(workflow, YAML.createObjectNode(),
                    step -> threads.put(step.name(), Thread.currentThread().getName())).block(Duration.ofSeconds(10));

            assertThat(threads).containsKeys("afterHttp", "afterWait");
            assertThat(threads.values()).allSatisfy(thread -> assertThat(thread)
                    .doesNotContain("reactor-http").doesNotContain("parallel").startsWith("boundedElastic"));
        }
    }
}
