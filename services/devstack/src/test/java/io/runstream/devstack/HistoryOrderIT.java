package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The history lists what an execution did in the order it happened, though one turn ends every task of the spec's
 * "explicit sequence flow" in the same millisecond as the run itself: as a user reads it, over and over.
 */
@SuppressWarnings("unchecked")
class HistoryOrderIT {

    private static final int RUNS = 100;
    private static final TestStack stack = TestStack.shared();
    private final WebTestClient api = stack.client();

    @Test
    void shouldListTheStepsOfAnExplicitSequenceFlowInTheOrderTheyRanAndSucceededLastEveryTime() {
        api.put().uri("/v1/workflows/explicit-sequence-flow").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document:
                          dsl: '1.0.0'
                          namespace: test
                          name: explicit-sequence-flow
                          version: '0.1.0'
                        do:
                          - setRed:
                              set:
                                colors: '${ .colors + ["red"] }'
                              then: setGreen
                          - setBlue:
                              set:
                                colors: '${ .colors + ["blue"] }'
                              then: end
                          - setGreen:
                              set:
                                colors: '${ .colors + ["green"] }'
                              then: setBlue
                        """)
                .exchange().expectStatus().isCreated();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            ids.add((String) api.post().uri("/v1/workflows/explicit-sequence-flow/executions")
                    .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"inputData\":{\"colors\":[]}}").exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("executionId"));
        }

        Map<String, List<String>> histories = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String id : ids) {
                if (!histories.containsKey(id)) {
                    List<String> history = history(id);
                    if (history.size() == 6) {
                        histories.put(id, history);
                    }
                }
            }
            assertThat(histories).as("executions whose six entries are all in the history").hasSize(RUNS);
        });

        assertThat(histories).allSatisfy((id, history) -> assertThat(history).as(id).containsExactly(
                "STATUS:QUEUED", "STATUS:RUNNING", "TASK:setRed", "TASK:setGreen", "TASK:setBlue",
                "STATUS:SUCCEEDED"));
        assertThat(ids).allSatisfy(id -> assertThat(yandexHistory(id)).as(id)
                .containsExactly("setRed", "setGreen", "setBlue"));
        assertThat(api.get().uri("/v1/executions/{id}", ids.get(0)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("output"))
                .isEqualTo(Map.of("colors", List.of("red", "green", "blue")));
    }

    /** The canonical history, one page: each entry's type and its status or task name. */
    private List<String> history(String id) {
        Map<String, Object> page = api.get().uri("/v1/executions/{id}/history?limit=100", id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream()
                .map(e -> e.get("type") + ":" + ("TASK".equals(e.get("type")) ? e.get("taskName") : e.get("status")))
                .toList();
    }

    /** The Yandex history's entries (task steps), by title. */
    private List<String> yandexHistory(String id) {
        Map<String, Object> body = api.get().uri("/workflows/v1/execution/{id}/history", id).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("entries")).stream().map(e -> (String) e.get("title")).toList();
    }
}
