package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.api.views.LocalExecutionViews;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * In the dev stack, where the projection shares the ingress's JVM, a start that waits for its result reads the
 * ended view from the projection in-process: the same view, and no HTTP request of the ingress to the projection.
 */
class InProcessViewsIT {

    private static final TestStack stack = TestStack.shared();
    private static final String VIEW_ROUTE = "/v1/executions/{executionId}";

    private static ConfigurableApplicationContext service(String name) {
        return stack.stack.contexts().stream()
                .filter(c -> name.equals(c.getEnvironment().getProperty("spring.application.name")))
                .findFirst().orElseThrow();
    }

    /** The reads of one execution the projection's HTTP server has answered so far. */
    private static long viewReadsServed() {
        return service("runstream-projection").getBean(MeterRegistry.class).find("http.server.requests")
                .tag("uri", VIEW_ROUTE).timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void shouldAnswerAStartThatWaitsWithTheProjectionsViewWithoutAnHttpHop() {
        assertThat(service("runstream-ingress").getBean(LocalExecutionViews.class))
                .isSameAs(service("runstream-projection").getBean(LocalExecutionViews.class));
        var api = stack.client();
        String workflow = "in-process-" + UUID.randomUUID().toString().substring(0, 8);
        api.put().uri("/v1/workflows/{w}", workflow).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: test, name: in-process, version: '1.0.0'}
                        do:
                          - mark:
                              set:
                                seen: ${ .n }
                        """).exchange().expectStatus().isCreated();
        long before = viewReadsServed();

        Map<String, Object> ended = api.post().uri("/v1/workflows/{w}/executions?waitForTerminalSeconds=20", workflow)
                .contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .bodyValue("{\"inputData\":{\"n\":7}}").exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody();

        assertThat(ended).containsEntry("status", "SUCCEEDED").containsEntry("workflowId", workflow)
                .containsEntry("output", Map.of("seen", 7)).containsKeys("executionId", "startedAt", "finishedAt");
        // the same execution read through the API: the view the start was answered with
        api.get().uri("/v1/executions/{id}", ended.get("executionId")).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .value(read -> assertThat(read).isEqualTo(ended));
        // The server counts a request when its response has been written, which can be after the client read it:
        // the count must reach one more read (this one, through the gateway) and stay there, so a read of the
        // start's own, counted late, would show as a second.
        await("reads of one execution the projection served over HTTP: only the gateway's")
                .atMost(Duration.ofSeconds(10)).during(Duration.ofSeconds(1))
                .until(() -> viewReadsServed() - before, reads -> reads == 1);
    }
}
