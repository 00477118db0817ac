package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Schedules as a user meets them on the whole stack: a workflow stored with an {@code every} schedule starts runs by
 * itself until it is deactivated, and one with {@code on} starts a run for each event posted to
 * {@code POST /v1/events}, once however often the event is sent, and only for its own tenant's events.
 */
@SuppressWarnings("unchecked")
class ScheduleIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.client();
    private static final WebTestClient other = stack.anonymous().mutate()
            .defaultHeader("X-API-Key", TestStack.OTHER_TENANT_KEY).build();
    private static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");

    @Test
    void shouldStartRunsEveryIntervalUntilDeactivated() {
        String id = "every-" + UUID.randomUUID().toString().substring(0, 8);
        define(api, id, """
                document: {dsl: '1.0.0', namespace: e2e, name: every, version: '1.0.0'}
                schedule:
                  every: PT2S
                do:
                  - tick:
                      set: {ticked: true}
                """);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(runs(api, id)).hasSizeGreaterThan(2));
        List<Map<String, Object>> runs = runs(api, id);
        List<Instant> slots = runs.stream().map(r -> Instant.parse((String) ((Map<String, Object>) r.get("metadata"))
                .get("scheduledFor"))).sorted().toList();
        assertThat(slots).as("one run a slot, each 2 s apart").doesNotHaveDuplicates();
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(runs).allSatisfy(r -> assertThat(((Map<String, Object>) r.get("metadata")).get("trigger"))
                .isEqualTo("schedule"));

        api.post().uri("/v1/workflows/{id}/deactivate", id).exchange().expectStatus().isOk();
        // a fire checks the workflow as it is then: once the worker's catalog has the deactivation, none starts
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        int stopped = runs(api, id).size();
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .untilAsserted(() -> assertThat(runs(api, id)).hasSizeLessThanOrEqualTo(stopped + 1));
    }

    @Test
    void shouldStartOneRunPerEventOfItsOwnTenantHoweverOftenTheEventIsSent() {
        String id = "on-" + UUID.randomUUID().toString().substring(0, 8);
        String type = "e2e.order.placed." + UUID.randomUUID().toString().substring(0, 8);
        String definition = """
                document: {dsl: '1.0.0', namespace: e2e, name: placed, version: '1.0.0'}
                schedule:
                  on:
                    one:
                      with: {type: %s}
                do:
                  - take:
                      set: '${ {orders: [.[].order]} }'
                """.formatted(type);
        define(api, id, definition);
        define(other, id, definition);
        for (int i = 0; i < 3; i++) {
            // the same event three times: one run
            api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("p-1", type, "{\"order\":1}"))
                    .exchange().expectStatus().isAccepted();
        }
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("p-2", type, "{\"order\":2}"))
                .exchange().expectStatus().isAccepted();
        other.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("p-1", type, "{\"order\":9}"))
                .exchange().expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(outputs(api, id)).containsExactlyInAnyOrder(Map.of("orders", List.of(1)),
                    Map.of("orders", List.of(2)));
            assertThat(outputs(other, id)).containsExactly(Map.of("orders", List.of(9)));
        });
        // and it stays so: a late duplicate starts nothing
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("p-1", type, "{\"order\":1}"))
                .exchange().expectStatus().isAccepted();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(runs(api, id)).hasSize(2));
        assertThat(runs(api, id)).allSatisfy(r -> assertThat((Map<String, Object>) r.get("metadata"))
                .containsEntry("trigger", "event").containsEntry("eventType", type));
    }

    @Test
    void shouldEndAWorkflowStartedByTheEventItEmitsAtTheHopLimitAndCountIt() throws Exception {
        String id = "ping-" + UUID.randomUUID().toString().substring(0, 8);
        String type = "e2e.ping." + UUID.randomUUID().toString().substring(0, 8);
        define(api, id, """
                document: {dsl: '1.0.0', namespace: e2e, name: ping, version: '1.0.0'}
                schedule:
                  on:
                    one:
                      with: {type: %s}
                do:
                  - again:
                      emit:
                        event:
                          with: {type: %s, source: 'https://ping.example', data: {}}
                """.formatted(type, type));
        double refusedBefore = metric("runstream_events_chain_refused_total");
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("ping-0", type, "{}"))
                .exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(runs(api, id)).hasSize(16);
            Map<String, Object> failed = client(api, "/v1/executions?workflowId={id}&status=FAILED", id);
            assertThat((List<Map<String, Object>>) failed.get("items")).hasSize(1);
        });
        String failedId = (String) ((List<Map<String, Object>>) client(api, "/v1/executions?workflowId={id}"
                + "&status=FAILED", id).get("items")).get(0).get("executionId");
        Map<String, Object> error = (Map<String, Object>) client(api, "/v1/executions/{id}", failedId).get("error");
        assertThat((String) error.get("message")).contains("Event chain too long")
                .contains("runstream.worker.events.max-hops");
        assertThat(metric("runstream_events_chain_refused_total")).isEqualTo(refusedBefore + 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metric(
                "runstream_schedule_starts_total", "trigger=\"event\"", "outcome=\"started\"")).isGreaterThan(16));
    }

    private static Map<String, Object> client(WebTestClient client, String uri, Object... variables) {
        return client.get().uri(uri, variables).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    /** The sum of a worker metric's samples whose labels contain each of {@code labels} (0 when it has none yet). */
    private static double metric(String name, String... labels) throws Exception {
        String scrape = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + stack.settings.workerPort() + "/actuator/prometheus"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void shouldRefuseAScheduleThatCannotFireWithThePathOfTheMistake() {
        api.put().uri("/v1/workflows/{id}", "bad-cron").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: e2e, name: bad, version: '1.0.0'}
                        schedule:
                          cron: '61 * * * *'
                        do:
                          - a: {set: {x: 1}}
                        """).exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("/schedule/cron")
                        .contains("is not a cron expression"));
        api.get().uri("/v1/workflows/{id}", "bad-cron").exchange().expectStatus().isNotFound();
    }

    private static List<Map<String, Object>> runs(WebTestClient client, String workflowId) {
        Map<String, Object> page = client.get().uri("/v1/executions?workflowId={id}&status=SUCCEEDED&limit=100",
                workflowId).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    /** The outputs of its runs that succeeded (the list gives summaries; each execution has its output). */
    private static List<Object> outputs(WebTestClient client, String workflowId) {
        return runs(client, workflowId).stream().map(r -> client.get().uri("/v1/executions/{id}",
                r.get("executionId")).exchange().expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody().get("output")).toList();
    }

    private static String event(String id, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"https://shop.example\",\"type\":\""
                + type + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static void define(WebTestClient client, String workflowId, String yaml) {
        client.put().uri("/v1/workflows/{id}", workflowId).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().is2xxSuccessful();
    }
}
