package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Subflows as a user meets them on the whole stack, through the API: a workflow runs others by namespace, name and
 * version, waits for one and not for another, and the children show who started them in their view, in the list's
 * filter and in the parent's history, to their own tenant only. It also measures what a parent with ten awaited
 * children costs end to end.
 */
@SuppressWarnings("unchecked")
class SubflowIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.client();
    private static final WebTestClient other = stack.anonymous().mutate()
            .defaultHeader("X-API-Key", TestStack.OTHER_TENANT_KEY).build();

    @Test
    void shouldRunChildrenByNameAndShowTheirParentInTheViewTheListFilterAndTheHistory() {
        String ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        define(api, ns + "-price", """
                document: {dsl: '1.0.0', namespace: %s, name: price, version: '1.0.0'}
                do:
                  - price: {set: '${ {total: (.qty * 3)} }'}
                """.formatted(ns));
        define(api, ns + "-audit", """
                document: {dsl: '1.0.0', namespace: %s, name: audit, version: '2.1.0'}
                do:
                  - nap: {wait: PT1S}
                  - noted: {set: {audited: true}}
                """.formatted(ns));
        define(api, ns + "-order", """
                document: {dsl: '1.0.0', namespace: %s, name: order, version: '0.1.0'}
                do:
                  - price:
                      run:
                        workflow: {namespace: %s, name: price, version: '1.0.0', input: {qty: '${ .qty }'}}
                  - audit:
                      run:
                        await: false
                        workflow: {namespace: %s, name: audit}
                  - done: {set: '${ {total: .total} }'}
                """.formatted(ns, ns, ns));

        String parent = start(ns + "-order", "{\"qty\": 7}");
        Map<String, Object> ended = execution(parent, 30);
        assertThat(ended.get("status")).isEqualTo("SUCCEEDED");
        assertThat(ended.get("output")).isEqualTo(Map.of("total", 21));
        assertThat(ended.get("parentExecutionId")).isNull();

        // the child it did not wait for may reach the view after the parent's end
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(children(api, parent))
                .extracting(c -> c.get("workflowId")).containsExactlyInAnyOrder(ns + "-price", ns + "-audit"));
        List<Map<String, Object>> children = children(api, parent);
        assertThat(children).allSatisfy(c -> assertThat(c.get("parentExecutionId")).isEqualTo(parent));
        for (Map<String, Object> child : children) {
            Map<String, Object> view = execution((String) child.get("executionId"), 30);
            assertThat(view.get("status")).isEqualTo("SUCCEEDED");
            assertThat(view.get("parentExecutionId")).isEqualTo(parent);
        }
        Map<String, String> childOfStep = new java.util.HashMap<>();
        history(parent).stream().filter(e -> "TASK".equals(e.get("type")) && e.get("childExecutionId") != null)
                .forEach(e -> childOfStep.put((String) e.get("taskName"), (String) e.get("childExecutionId")));
        assertThat(childOfStep).containsOnlyKeys("price", "audit");
        assertThat(childOfStep.values()).containsExactlyInAnyOrderElementsOf(children.stream()
                .map(c -> (String) c.get("executionId")).toList());
        assertThat(children(other, parent)).as("another tenant sees none of them").isEmpty();
        other.get().uri("/v1/executions/{id}", childOfStep.get("price")).exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldFailAParentWhoseChildIsNotDefinedWithAnErrorNamingIt() {
        String ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        define(api, ns + "-lost", """
                document: {dsl: '1.0.0', namespace: %s, name: lost, version: '0.1.0'}
                do:
                  - call:
                      try:
                        - ghost: {run: {workflow: {namespace: %s, name: ghost, version: '1.0.0'}}}
                      catch:
                        errors: {with: {status: 400}}
                        do:
                          - note: {set: '${ {missing: $error.detail} }'}
                """.formatted(ns, ns));

        Map<String, Object> ended = execution(start(ns + "-lost", "{}"), 30);
        assertThat(ended.get("status")).isEqualTo("SUCCEEDED");
        assertThat((String) ((Map<String, Object>) ended.get("output")).get("missing"))
                .contains("namespace '" + ns + "'", "name 'ghost'", "version '1.0.0'");
        api.put().uri("/v1/workflows/{id}", ns + "-shell").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: e2e, name: shell, version: '0.1.0'}
                        do:
                          - ls: {run: {shell: {command: ls}}}
                        """).exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("UNSUPPORTED_FEATURE");
    }

    @Test
    void shouldMeasureAParentWithTenAwaitedChildrenEndToEnd() {
        String ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        define(api, ns + "-leg", """
                document: {dsl: '1.0.0', namespace: %s, name: leg, version: '1.0.0'}
                do:
                  - leg: {set: '${ {leg: .n} }'}
                """.formatted(ns));
        StringBuilder branches = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            branches.append("          - b").append(i).append(": {run: {workflow: {namespace: ").append(ns)
                    .append(", name: leg, input: {n: ").append(i).append("}}}}\n");
        }
        define(api, ns + "-fan", """
                document: {dsl: '1.0.0', namespace: %s, name: fan, version: '0.1.0'}
                do:
                  - legs:
                      fork:
                        branches:
                %s  - sum: {set: '${ {legs: ([.[].leg] | length)} }'}
                """.formatted(ns, branches));
        // one to warm up, then one alone (latency), then a batch at once (throughput); 10 children each, under the
        // tenant's start quota (100 a second, a burst of as many)
        assertThat(execution(start(ns + "-fan", "{}"), 60).get("output")).isEqualTo(Map.of("legs", 10));
        long alone = System.nanoTime();
        assertThat(execution(start(ns + "-fan", "{}"), 60).get("output")).isEqualTo(Map.of("legs", 10));
        double aloneMs = (System.nanoTime() - alone) / 1e6;
        int batch = 8;
        long at = System.nanoTime();
        List<String> parents = IntStream.range(0, batch).mapToObj(i -> start(ns + "-fan", "{}")).toList();
        List<CompletableFuture<Map<String, Object>>> ends = new ArrayList<>();
        parents.forEach(p -> ends.add(CompletableFuture.supplyAsync(() -> execution(p, 60))));
        ends.forEach(end -> assertThat(end.join().get("output")).isEqualTo(Map.of("legs", 10)));
        double seconds = (System.nanoTime() - at) / 1e9;
        System.out.printf("subflow-fan: a parent with 10 awaited children (a fork of run: workflow), end to end "
                + "through the API: %.0f ms alone; %d at once in %.2f s, %.1f parents (%.0f children) a second%n",
                aloneMs, batch, seconds, batch / seconds, batch * 10 / seconds);
        assertThat(children(api, parents.get(0))).hasSize(10);
    }

    private static void define(WebTestClient client, String workflowId, String yaml) {
        client.put().uri("/v1/workflows/{id}", workflowId).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().is2xxSuccessful();
    }

    private static String start(String workflowId, String input) {
        Map<String, Object> created = api.post().uri("/v1/workflows/{id}/executions", workflowId)
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":" + input + "}").exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }

    /** The execution once it ended, or as it is after {@code seconds}. */
    private static Map<String, Object> execution(String id, int seconds) {
        return api.mutate().responseTimeout(Duration.ofSeconds(seconds + 5)).build().get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds={s}", id, seconds).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<Map<String, Object>> children(WebTestClient client, String parent) {
        Map<String, Object> page = client.get().uri("/v1/executions?parentExecutionId={p}&limit=100", parent)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<Map<String, Object>> history(String id) {
        Map<String, Object> page = api.get().uri("/v1/executions/{id}/history?limit=100", id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }
}
