package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The Yandex Cloud Workflows execution API (yandex-workflows-execution-*.md): start, get, getHistory, list, stop. */
@SuppressWarnings("unchecked")
class YandexDialectIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.client();
    private static final String WORKFLOW = "yandex-" + UUID.randomUUID();
    private static final String SLOW = "yandex-slow-" + UUID.randomUUID();

    @BeforeAll
    static void defineWorkflows() {
        define(WORKFLOW, """
                document: {dsl: '1.0.0', namespace: yandex, name: greet, version: '1.0.0'}
                do:
                  - greet:
                      set: {greeting: '${ "Hello, " + .name }'}
                """);
        define(SLOW, """
                document: {dsl: '1.0.0', namespace: yandex, name: slow, version: '1.0.0'}
                do:
                  - pause:
                      wait: PT1H
                """);
    }

    private static void define(String id, String yaml) {
        api.put().uri("/v1/workflows/{id}", id).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().isCreated();
    }

    private static Map<String, Object> json(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    private static String start(String workflowId, String inputJson) {
        Map<String, Object> started = json(api.post().uri("/workflows/v1/execution/start")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", workflowId, "input", Map.of("inputJson", inputJson))).exchange());
        assertThat(started.keySet()).containsExactly("executionId");
        return (String) started.get("executionId");
    }

    private static Map<String, Object> execution(String id) {
        return (Map<String, Object>) json(api.get().uri("/workflows/v1/execution/{id}", id).exchange())
                .get("execution");
    }

    @Test
    void shouldStartAndGetAnExecutionInTheYandexShape() {
        String id = start(WORKFLOW, "{\"name\":\"Alice\"}");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> execution(id).get("status").equals("FINISHED"));
        Map<String, Object> execution = execution(id);
        assertThat(execution).containsEntry("id", id).containsEntry("workflowId", WORKFLOW)
                .containsEntry("input", Map.of("inputJson", "{\"name\":\"Alice\"}"))
                .containsEntry("result", Map.of("resultJson", "{\"greeting\":\"Hello, Alice\"}"));
        assertThat(Instant.parse((String) execution.get("startedAt"))).isNotNull();
        assertThat((String) execution.get("duration")).matches("\\d+(\\.\\d{1,9})?s");
        assertThat(execution).doesNotContainKey("error");
    }

    @Test
    void shouldListGetHistoryAndFilter() {
        String first = start(WORKFLOW, "{\"name\":\"A\"}");
        String second = start(WORKFLOW, "{\"name\":\"B\"}");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> execution(second).get("status").equals("FINISHED")
                && execution(first).get("status").equals("FINISHED"));

        Map<String, Object> page = json(api.get().uri("/workflows/v1/execution?workflowId={w}&pageSize=1", WORKFLOW)
                .exchange());
        List<Map<String, Object>> executions = (List<Map<String, Object>>) page.get("executions");
        assertThat(executions).singleElement().satisfies(e -> assertThat(e.keySet())
                .containsExactly("id", "workflowId", "status", "startedAt", "duration"));
        assertThat((String) page.get("nextPageToken")).isNotEmpty();
        Map<String, Object> next = json(api.get().uri("/workflows/v1/execution?workflowId={w}&pageSize=1&pageToken={t}",
                WORKFLOW, page.get("nextPageToken")).exchange());
        assertThat((List<?>) next.get("executions")).hasSize(1).isNotEqualTo(executions);
        Map<String, Object> finished = json(api.get()
                .uri("/workflows/v1/execution?workflowId={w}&filter={f}", WORKFLOW, "status=FINISHED").exchange());
        assertThat((List<Map<String, Object>>) finished.get("executions")).extracting(e -> e.get("id"))
                .contains(first, second);
        assertThat(finished.get("nextPageToken")).isEqualTo("");

        Map<String, Object> history = json(api.get().uri("/workflows/v1/execution/{id}/history", first).exchange());
        assertThat((Map<String, Object>) history.get("execution")).containsEntry("id", first)
                .containsEntry("status", "FINISHED");
        assertThat((List<Map<String, Object>>) history.get("entries")).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry("title", "greet").containsEntry("status", "COMPLETED")
                    .containsEntry("type", "Set").containsEntry("attempts", "1");
            assertThat(entry).containsKeys("id", "description", "startedAt", "duration");
        });
    }

    @Test
    void shouldStopARunningExecutionAndRefuseToStopItTwice() {
        String id = start(SLOW, "{}");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> execution(id).get("status").equals("RUNNING"));

        assertThat(json(api.post().uri("/workflows/v1/execution/{id}/stop", id).exchange()))
                .isEqualTo(Map.of("executionId", id));

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> execution(id).get("status").equals("STOPPED"));
        api.post().uri("/workflows/v1/execution/{id}/stop", id).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo(9)
                .jsonPath("$.details[0].errorCode").isEqualTo("EXECUTION_FINISHED");
    }

    @Test
    void shouldAnswerErrorsInTheYandexErrorModel() {
        api.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflowId\":\"w\",\"inputs\":{}}").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo(3)
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("inputs"));
        api.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflowId\":\"" + WORKFLOW + "\",\"input\":{\"inputJson\":\"{not json\"}}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo(3);
        api.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflowId\":\"nowhere\"}").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo(5)
                .jsonPath("$.details[0].errorCode").isEqualTo("WORKFLOW_NOT_FOUND");
        api.get().uri("/workflows/v1/execution/{id}", UUID.randomUUID()).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo(5);
        api.get().uri("/workflows/v1/execution").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("workflowId"));
        api.get().uri("/workflows/v1/execution?workflowId=w&filter={f}", "status=SLEEPING").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo(3);
        stack.anonymous().get().uri("/workflows/v1/execution/{id}", UUID.randomUUID()).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo(16);
    }
}
