package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Malformed and hostile input on every read endpoint, in each dialect: control characters, over-long text, numbers
 * and times out of range, forged cursors and repeated parameters each answer 400 with a message naming the parameter,
 * never 500 and never a class name.
 */
class ReadApiInputIT extends ProjectionTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    /** A body as a user sees it: the status, the code and the message in the canonical error model. */
    private static Map<String, Object> refused(WebTestClient.RequestHeadersSpec<?> request, String code,
            String parameter) {
        Map<String, Object> body = request.exchange().expectStatus().isBadRequest().expectBody(JSON).returnResult()
                .getResponseBody();
        assertThat(body).containsEntry("code", code);
        assertPlain((String) body.get("message"), parameter);
        return body;
    }

    /** The Yandex error model: gRPC INVALID_ARGUMENT, Runstream's code in the details. */
    @SuppressWarnings("unchecked")
    private static void refusedYandex(WebTestClient.RequestHeadersSpec<?> request, String code, String parameter) {
        Map<String, Object> body = request.exchange().expectStatus().isBadRequest().expectBody(JSON).returnResult()
                .getResponseBody();
        assertThat(body).containsEntry("code", 3);
        assertThat((List<Map<String, Object>>) body.get("details")).containsExactly(Map.of("errorCode", code));
        assertPlain((String) body.get("message"), parameter);
    }

    private static void assertPlain(String message, String parameter) {
        assertThat(message).as("names what was wrong").containsIgnoringCase(parameter)
                .as("no class names").doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z]")
                .doesNotContain("Exception", "java", "Type mismatch", "\tat ");
    }

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private String visibleExecution() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1), event(id, ExecutionStatus.RUNNING, 2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("RUNNING"));
        return id;
    }

    @Test
    void shouldRefuseControlCharactersAndOverLongTextInEveryListFilter() {
        for (String filter : List.of("workflowId", "sourceSystem", "externalRef", "sourceEntityId")) {
            for (String value : List.of("a\u0000b", "line\nbreak", "x".repeat(257))) {
                refused(web.get().uri("/v1/executions?" + filter + "={v}", value), "INVALID_REQUEST", filter);
            }
            web.get().uri("/v1/executions?" + filter + "={v}", "x".repeat(256)).exchange().expectStatus().isOk();
        }
        refused(web.get().uri("/v1/executions?status={v}", "RUNNING\u0000"), "INVALID_REQUEST", "status");
        refused(web.get().uri("/v1/executions?phase={v}", "x".repeat(300)), "INVALID_REQUEST", "phase");
    }

    @Test
    void shouldRefuseNumbersOutOfRangeOrNotNumbers() throws Exception {
        String id = visibleExecution();
        for (String limit : List.of("99999999999", "-1", "0", "101", "ten", "1.5", "")) {
            refused(web.get().uri("/v1/executions?limit={v}", limit), "INVALID_REQUEST", "limit");
            refused(web.get().uri("/v1/executions/{id}/history?limit={v}", id, limit), "INVALID_REQUEST", "limit");
        }
        for (String wait : List.of("99999999999", "-1", "61", "soon")) {
            refused(web.get().uri("/v1/executions/{id}?waitForTerminalSeconds={v}", id, wait), "INVALID_REQUEST",
                    "waitForTerminalSeconds");
        }
        for (String sequence : List.of("0", "-5", "99999999999999999999", "first")) {
            refused(web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1&minSequence={v}", id, sequence),
                    "INVALID_REQUEST", "minSequence");
        }
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=0&minSequence=9223372036854775807", id).exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldRefuseTimesOutsideWhatTheViewCanHoldOrUnparseable() {
        for (String name : List.of("startedFrom", "startedTo", "finishedFrom", "finishedTo")) {
            for (String time : List.of("+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z",
                    "+1000000000-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "now")) {
                refused(web.get().uri("/v1/executions?" + name + "={v}", time), "INVALID_REQUEST", name);
            }
            web.get().uri("/v1/executions?" + name + "={v}", "9999-12-31T23:59:59Z").exchange().expectStatus().isOk();
            web.get().uri("/v1/executions?" + name + "={v}", "0001-01-01T00:00:00Z").exchange().expectStatus().isOk();
        }
    }

    @Test
    void shouldRefuseForgedCursorsWithoutLeakingOrFailing() throws Exception {
        String id = visibleExecution();
        String uuid = UUID.randomUUID().toString();
        for (String forged : List.of(cursor("L|STARTED_AT|desc|1.0|" + uuid + "\u0000"),
                cursor("L|STARTED_AT|desc|1.0\u0000|" + uuid), cursor("{\"at\":[1],\"executionId\":false}"),
                cursor("L|NAME\u0000|sideways|1.0|" + uuid), cursor("L|STARTED_AT|desc|99999999999999999999.0|" + uuid),
                cursor("L|STARTED_AT|desc|1.9999999|" + uuid), cursor("\u00ff\u0000garbage"), "%%%", "a".repeat(3000))) {
            refused(web.get().uri("/v1/executions?cursor={c}", forged), "INVALID_CURSOR", "cursor");
            refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=w&pageToken={c}", forged),
                    "INVALID_CURSOR", "cursor");
        }
        for (String forged : List.of(cursor("H|1.0|s\u0000"), cursor("H|1.0|" + "\u0000".repeat(3)),
                cursor("H|x|s1"), cursor("{\"key\":{}}"), cursor("H|-99999999999999.0|s1"))) {
            refused(web.get().uri("/v1/executions/{id}/history?cursor={c}", id, forged), "INVALID_CURSOR", "cursor");
        }
        // positions at the edges of what the view can hold are still cursors, and answer a page
        web.get().uri("/v1/executions?cursor={c}", cursor("L|STARTED_AT|desc|9215576668800.0|" + uuid)).exchange()
                .expectStatus().isOk();
        web.get().uri("/v1/executions?cursor={c}&order=asc",
                cursor("L|STARTED_AT|asc|-210484828800.0|" + uuid)).exchange().expectStatus().isOk();
        web.get().uri("/v1/executions/{id}/history?cursor={c}", id, cursor("H|-210484828800.0|s1")).exchange()
                .expectStatus().isOk();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTreatAnotherTenantsCursorAsAPositionOnlyAndShowNothingOfThatTenant() throws Exception {
        String workflow = "cursor-" + UUID.randomUUID();
        Map<String, List<String>> ids = new java.util.HashMap<>();
        for (String tenant : List.of("default", "other")) {
            for (int i = 0; i < 2; i++) {
                String id = UUID.randomUUID().toString();
                ids.computeIfAbsent(tenant, t -> new java.util.ArrayList<>()).add(id);
                send(id, ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.QUEUED, 1)).setTenant(tenant)
                        .setWorkflowId(workflow)
                        .setRequestedAt(T0.plusSeconds(i)).build());
            }
        }
        var other = anonymous.mutate().defaultHeader("X-API-Key", "rs_dev_other_key").build();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat((List<?>) other.get().uri("/v1/executions?workflowId={w}", workflow).exchange()
                    .expectBody(JSON).returnResult().getResponseBody().get("items")).hasSize(2);
            assertThat((List<?>) web.get().uri("/v1/executions?workflowId={w}", workflow).exchange()
                    .expectBody(JSON).returnResult().getResponseBody().get("items")).hasSize(2);
        });
        String otherCursor = (String) other.get().uri("/v1/executions?workflowId={w}&limit=1", workflow).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody().get("nextCursor");
        assertThat(otherCursor).isNotNull();

        Map<String, Object> page = web.get().uri("/v1/executions?workflowId={w}&cursor={c}", workflow, otherCursor)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        List<String> seen = ((List<Map<String, Object>>) page.get("items")).stream()
                .map(item -> (String) item.get("executionId")).toList();
        assertThat(seen).isNotEmpty().isSubsetOf(ids.get("default")).doesNotContainAnyElementsOf(ids.get("other"));
    }

    @Test
    void shouldRefuseARepeatedParameterRatherThanJoinIt() throws Exception {
        String id = visibleExecution();
        refused(web.get().uri("/v1/executions?workflowId=a&workflowId=b"), "INVALID_REQUEST", "workflowId");
        refused(web.get().uri("/v1/executions?limit=1&limit=2"), "INVALID_REQUEST", "limit");
        refused(web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1&waitForTerminalSeconds=2", id),
                "INVALID_REQUEST", "waitForTerminalSeconds");
        refused(web.get().uri("/v1/executions/{id}/history?cursor=a&cursor=b", id), "INVALID_REQUEST", "cursor");
        refused(web.get().uri("/v1/executions/{id}/events?followRedrives=true&followRedrives=false", id)
                .accept(MediaType.TEXT_EVENT_STREAM), "INVALID_REQUEST", "followRedrives");
        refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=a&workflowId=b"), "INVALID_REQUEST",
                "workflowId");
        web.get().uri("/v1/executions?status=RUNNING&status=QUEUED").exchange().expectStatus().isOk();
    }

    @Test
    void shouldRefuseBadYandexListParameters() {
        refusedYandex(web.get().uri("/workflows/v1/execution?workflowId={w}", "demo\u0000"), "INVALID_REQUEST",
                "workflowId");
        refusedYandex(web.get().uri("/workflows/v1/execution?workflowId={w}", "w".repeat(257)), "INVALID_REQUEST",
                "workflowId");
        for (String size : List.of("99999999999999999999", "-1", "many", "2.5")) {
            refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=demo&pageSize={s}", size),
                    "INVALID_REQUEST", "pageSize");
        }
        for (String filter : List.of("started_at>\"+300000-01-01T00:00:00Z\"", "finished_at<-300000-01-01T00:00:00Z",
                "started_at>+1000000000-12-31T23:59:59Z")) {
            refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=demo&filter={f}", filter),
                    "INVALID_REQUEST", filter.substring(0, filter.indexOf('_') + 3));
        }
        refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=demo&filter={f}", "status=RUNNING\u0000"),
                "INVALID_REQUEST", "filter");
        refusedYandex(web.get().uri("/workflows/v1/execution?workflowId=demo&filter={f}",
                "status=RUNNING AND ".repeat(100) + "status=FAILED"), "INVALID_REQUEST", "filter");
        web.get().uri("/workflows/v1/execution?workflowId=demo&pageSize=99999999999&filter={f}",
                "started_at>\"2026-01-01T00:00:00Z\" AND status=FINISHED").exchange().expectStatus().isOk();
    }

    @Test
    void shouldRefuseABadLastEventIdOnTheEventStream() throws Exception {
        String id = visibleExecution();
        for (String last : List.of("-1", "two", "99999999999999999999", "1.5")) {
            refused(web.get().uri("/v1/executions/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                    .header("Last-Event-ID", last), "INVALID_REQUEST", "Last-Event-ID");
        }
    }

    @Test
    void shouldStillAnswerNotFoundForIdsThatAreNotUuids() {
        for (String path : List.of("/v1/executions/{id}", "/v1/executions/{id}/history",
                "/workflows/v1/execution/{id}", "/workflows/v1/execution/{id}/history")) {
            for (String id : List.of("a\u0000b", "x".repeat(2000), "..")) {
                web.get().uri(path, id).exchange().expectStatus().isNotFound();
            }
        }
    }
}
