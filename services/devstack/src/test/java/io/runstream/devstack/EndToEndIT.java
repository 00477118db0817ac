package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The whole pipeline as a user meets it: POST to the ingress, the worker runs it, GET from the projection. */
@SuppressWarnings("unchecked")
class EndToEndIT {

    private static final TestStack stack = TestStack.shared();
    private static final Infrastructure infra = stack.infra;
    private static final HttpStub stub = new HttpStub();
    private static WebTestClient api;
    private static WebTestClient ingress;
    private static WebTestClient projection;

    @BeforeAll
    static void defineDemo() {
        // Everything goes through the gateway, the one base URL clients use.
        api = stack.client();
        ingress = api;
        projection = api;
        ingress.put().uri("/v1/workflows/demo").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document:
                          dsl: '1.0.0'
                          namespace: examples
                          name: demo
                          version: '0.1.0'
                        do:
                          - check:
                              if: ${ .raise != null }
                              raise:
                                error:
                                  type: https://example.com/errors/refused
                                  status: 422
                                  title: Refused
                                  detail: ${ .raise }
                          - echo:
                              set:
                                x: ${ .x }
                                done: true
                        """)
                .exchange().expectStatus().isCreated();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    private static void define(String workflowId, String yaml) {
        ingress.put().uri("/v1/workflows/{id}", workflowId).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml.replace("@base@", stub.baseUrl()))
                .exchange().expectStatus().isCreated();
    }

    private static String start(String workflowId, String body) {
        Map<?, ?> created = ingress.post().uri("/v1/workflows/{id}/executions", workflowId)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }

    private static Map<?, ?> awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> projection.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo(status));
        return projection.get().uri("/v1/executions/{id}", id).exchange().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    private static List<Map<String, Object>> taskSteps(String id) throws Exception {
        try (Connection db = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "");
                PreparedStatement query = db.prepareStatement("""
                        SELECT position, status, task_attempts FROM projection.execution_task_steps
                        WHERE execution_id = ?::uuid ORDER BY ended_at, position""")) {
            query.setString(1, id);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(Map.of("position", rs.getString(1), "status", rs.getString(2),
                            "attempts", rs.getInt(3)));
                }
            }
            return rows;
        }
    }

    @Test
    void shouldCallAnEndpointRetryTwo503sBranchAndSucceed() throws Exception {
        define("fulfil", """
                document: {dsl: '1.0.0', namespace: examples, name: fulfil, version: '0.1.0'}
                do:
                  - reserve:
                      try:
                        - call:
                            call: http
                            with:
                              method: post
                              endpoint: @base@/flaky/e2e-{orderId}?failures=2
                              body: {orderId: '${ .orderId }'}
                      catch:
                        errors:
                          with: {type: https://serverlessworkflow.io/spec/1.0.0/errors/communication, status: 503}
                        retry:
                          delay: {milliseconds: 50}
                          backoff: {exponential: {}}
                          limit:
                            attempt: {count: 3}
                      export:
                        as: '${ {calls: .calls} }'
                  - lookup:
                      call: http
                      with:
                        method: get
                        endpoint: '${ "@base@/orders/" + $workflow.input.orderId }'
                  - route:
                      switch:
                        - shipped:
                            when: ${ .status == "shipped" }
                            then: ship
                        - otherwise:
                            then: hold
                  - ship:
                      set: {orderId: '${ .id }', decision: ship, calls: '${ $context.calls }'}
                      then: end
                  - hold:
                      set: {orderId: '${ .id }', decision: hold}
                """);

        String id = start("fulfil", "{\"inputData\":{\"orderId\":\"s-9\"}}");

        Map<?, ?> view = awaitStatus(id, "SUCCEEDED");
        assertThat(view.get("output")).isEqualTo(Map.of("orderId", "s-9", "decision", "ship", "calls", 3));
        assertThat(stub.calls("/flaky/e2e-s-9")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> steps = taskSteps(id);
            assertThat(steps).contains(Map.of("position", "/do/0/reserve", "status", "COMPLETED", "attempts", 3),
                    Map.of("position", "/do/2/route", "status", "COMPLETED", "attempts", 1),
                    Map.of("position", "/do/3/ship", "status", "COMPLETED", "attempts", 1));
            assertThat(steps).noneMatch(row -> row.get("position").equals("/do/4/hold"));
        });
    }

    @Test
    void shouldFailWhenTheErrorMatchesNoCatch() {
        define("strict", """
                document: {dsl: '1.0.0', namespace: examples, name: strict, version: '0.1.0'}
                do:
                  - attempt:
                      try:
                        - call:
                            call: http
                            with:
                              method: get
                              endpoint: @base@/status/500
                      catch:
                        errors:
                          with: {status: 503}
                        do:
                          - fallback:
                              set: {fallback: true}
                """);

        Map<?, ?> view = awaitStatus(start("strict", "{\"inputData\":{}}"), "FAILED");
        assertThat((Map<String, Object>) view.get("error")).containsEntry("code", "WORKFLOW_ERROR")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("HTTP 500")
                        .contains("/do/0/attempt/try/0/call"));
    }

    @Test
    void shouldTimeOutAboutOneSecondIntoAFiveSecondWait() {
        define("sleepy", """
                document: {dsl: '1.0.0', namespace: examples, name: sleepy, version: '0.1.0'}
                do:
                  - nap:
                      wait: PT5S
                      timeout:
                        after: PT1S
                """);

        Map<?, ?> view = awaitStatus(start("sleepy", "{\"inputData\":{}}"), "TIMED_OUT");
        assertThat(((Number) view.get("durationMs")).longValue()).isBetween(900L, 4500L);
        assertThat((Map<String, Object>) view.get("error")).containsEntry("code", "WORKFLOW_TIMEOUT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPauseAWaitingExecutionAndResumeItWhereItWas() {
        define("pausable", """
                document: {dsl: '1.0.0', namespace: examples, name: pausable, version: '0.1.0'}
                do:
                  - hold:
                      wait: PT2S
                  - done:
                      set: {done: true}
                """);
        String id = start("pausable", "{\"inputData\":{}}");
        awaitStatus(id, "RUNNING");

        api.post().uri("/v1/executions/{id}/pause?waitSeconds=10", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("ACCEPTED").jsonPath("$.command").isEqualTo("pause");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api.get().uri("/v1/executions/{id}", id)
                .exchange().expectBody().jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.phase").isEqualTo("SUSPENDED"));
        api.get().uri("/workflows/v1/execution/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.execution.status").isEqualTo("PAUSED");
        api.post().uri("/v1/executions/{id}/pause?waitSeconds=10", id).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_SUSPENDED");
        api.get().uri("/v1/executions?workflowId=pausable&phase=SUSPENDED").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].executionId").value(ids -> assertThat((List<String>) ids)
                        .containsExactly(id));
        api.get().uri("/v1/executions?workflowId=pausable&phase=NONE&status=RUNNING").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(0);
        api.get().uri("/workflows/v1/execution?workflowId=pausable&filter={f}", "status=PAUSED").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.executions[*].id")
                .value(ids -> assertThat((List<String>) ids).containsExactly(id));
        api.get().uri("/workflows/v1/execution?workflowId=pausable&filter={f}", "status=RUNNING").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.executions.length()").isEqualTo(0);

        // the wait comes due while paused and is held
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> api.get()
                .uri("/v1/executions/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("RUNNING"));

        api.post().uri("/v1/executions/{id}/resume?waitSeconds=10", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("ACCEPTED");
        Map<?, ?> done = awaitStatus(id, "SUCCEEDED");
        assertThat((Map<String, Object>) done.get("output")).containsEntry("done", true);
        assertThat(done.get("phase")).isNull();
        api.post().uri("/v1/executions/{id}/resume?waitSeconds=10", id).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_FINISHED");
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'STATUS')].phase")
                .value(phases -> assertThat((List<String>) phases).containsExactly("WAITING", "SUSPENDED",
                        "WAITING"));
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.taskName == 'done')].output.done")
                .value(values -> assertThat((List<Boolean>) values).containsExactly(true))
                .jsonPath("$.items[?(@.taskName == 'hold')].input").value(input -> assertThat((List<Object>) input)
                        .containsExactly(Map.of()));
        api.get().uri("/workflows/v1/execution/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.entries[?(@.title == 'done')].output.outputJson")
                .value(out -> assertThat((List<String>) out).containsExactly("{\"done\":true}"));
    }

    @Test
    void shouldRefuseEachCommandInTheWrongStateWithItsCodeAndLeaveTheViewAsItWas() {
        define("parked", """
                document: {dsl: '1.0.0', namespace: examples, name: parked, version: '0.1.0'}
                do:
                  - hold:
                      wait: PT1H
                """);
        String id = start("parked", "{\"inputData\":{}}");
        awaitStatus(id, "RUNNING");

        command(id, "resume", null, 409, "EXECUTION_NOT_SUSPENDED");
        command(id, "redrive", null, 409, "EXECUTION_NOT_REDRIVABLE");
        command(id, "stop", "{\"expectedAttempt\":2}", 409, "ATTEMPT_MISMATCH");
        command(id, "pause", "{\"expectedAttempt\":2}", 409, "ATTEMPT_MISMATCH");
        api.get().uri("/v1/executions/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("RUNNING")
                .jsonPath("$.phase").isEqualTo("WAITING");

        command(id, "pause", null, 200, null);
        command(id, "pause", null, 409, "EXECUTION_SUSPENDED");
        command(id, "stop", "{\"reason\":\"stopped while paused\",\"expectedAttempt\":1}", 200, null);
        Map<?, ?> view = awaitStatus(id, "CANCELLED");
        assertThat(view.get("phase")).isNull();

        for (String kind : List.of("stop", "pause", "resume")) {
            command(id, kind, null, 409, "EXECUTION_FINISHED");
            command(UUID.randomUUID().toString(), kind, null, 404, "EXECUTION_NOT_FOUND");
        }
        // a cancelled execution is not redriven
        command(id, "redrive", null, 409, "EXECUTION_NOT_REDRIVABLE");
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'STATUS')].status")
                .value(statuses -> assertThat((List<String>) statuses).containsExactly("QUEUED", "RUNNING",
                        "RUNNING", "CANCELLED"));
    }

    @Test
    void shouldRedriveAFailedCallWithoutCallingTheCompletedTasksAgain() throws Exception {
        define("redrivable", """
                document: {dsl: '1.0.0', namespace: examples, name: redrivable, version: '0.1.0'}
                do:
                  - lookup:
                      call: http
                      with:
                        method: get
                        endpoint: '${ "@base@/orders/" + .orderId }'
                  - charge:
                      call: http
                      with:
                        method: post
                        endpoint: '${ "@base@/flaky/charge-" + .id + "?failures=1" }'
                      output:
                        as: '${ {orderId: $input.id, calls: .calls} }'
                """);
        String order = "r-" + UUID.randomUUID();
        String id = start("redrivable", "{\"inputData\":{\"orderId\":\"" + order + "\"}}");
        Map<?, ?> failed = awaitStatus(id, "FAILED");
        assertThat(failed.get("redriveCount")).isEqualTo(0);
        assertThat(stub.calls("/flaky/charge-" + order)).isEqualTo(1);
        command(id, "resume", null, 409, "EXECUTION_FINISHED");

        // a live stream that follows redrives stays open after FAILED
        var followed = api.get().uri("/v1/executions/{id}/events?followRedrives=true", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<
                        org.springframework.http.codec.ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody().map(org.springframework.http.codec.ServerSentEvent::data)
                // fails if the stream goes quiet without ending, as it must end after SUCCEEDED
                .timeout(Duration.ofSeconds(30)).collectList().toFuture();
        // one that does not follow them ends there (block fails if it does not end)
        api.get().uri("/v1/executions/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody().collectList()
                .block(Duration.ofSeconds(10));

        Map<String, Object> redriven = api.post().uri("/v1/executions/{id}/redrive?waitSeconds=10", id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(redriven).containsEntry("outcome", "ACCEPTED").containsEntry("command", "redrive")
                .containsEntry("redriveCount", 1);
        long sequence = ((Number) redriven.get("sequence")).longValue();
        Map<String, Object> done = api.get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds=20&minSequence={s}", id, sequence).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(done).containsEntry("status", "SUCCEEDED").containsEntry("redriveCount", 1);
        assertThat(done.get("output")).isEqualTo(Map.of("orderId", order, "calls", 2));
        assertThat(done.get("error")).isNull();
        assertThat(stub.calls("/orders/" + order)).as("the completed lookup is not called again").isEqualTo(1);
        assertThat(stub.calls("/flaky/charge-" + order)).isEqualTo(2);
        assertThat(stub.idempotencyKeys("/flaky/charge-" + order)).as("the redriven call is a new activity")
                .doesNotHaveDuplicates();
        List<Map<String, Object>> seen = followed.get(45, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(seen.get(0)).containsEntry("status", "FAILED");
        assertThat(seen.get(seen.size() - 1)).containsEntry("status", "SUCCEEDED").containsEntry("redriveCount", 1);
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'STATUS')].status")
                .value(statuses -> assertThat((List<String>) statuses).containsExactly("QUEUED", "RUNNING",
                        "FAILED", "RUNNING", "SUCCEEDED"));
        api.get().uri("/workflows/v1/execution/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.execution.status").isEqualTo("FINISHED");
        command(id, "redrive", null, 409, "EXECUTION_NOT_REDRIVABLE");
        command(UUID.randomUUID().toString(), "redrive", null, 409, "EXECUTION_NOT_REDRIVABLE");
    }

    /** Sends a command and waits for the decision: the status, and the error code when it is refused. */
    private static void command(String id, String kind, String body, int status, String code) {
        var request = api.post().uri("/v1/executions/{id}/{kind}?waitSeconds=10", id, kind);
        var response = (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
                .exchange().expectStatus().isEqualTo(status).expectBody();
        if (code != null) {
            response.jsonPath("$.code").isEqualTo(code);
        } else {
            response.jsonPath("$.outcome").isEqualTo("ACCEPTED");
        }
    }

    @Test
    void shouldCancelARunWaitingOnAnHttpResponseWhenStopped() throws Exception {
        define("patient", """
                document: {dsl: '1.0.0', namespace: examples, name: patient, version: '0.1.0'}
                do:
                  - call:
                      call: http
                      with:
                        method: get
                        endpoint: @base@/slow?ms=25000
                """);
        String id = start("patient", "{\"inputData\":{}}");
        awaitStatus(id, "RUNNING");
        await().atMost(Duration.ofSeconds(10)).until(() -> stub.calls("/slow") >= 1);

        api.post().uri("/v1/executions/{id}/stop?waitSeconds=10", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"operator stop\",\"expectedAttempt\":1}").exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.outcome").isEqualTo("ACCEPTED").jsonPath("$.status").isEqualTo("CANCELLED");

        Map<?, ?> view = awaitStatus(id, "CANCELLED");
        assertThat((Map<String, Object>) view.get("error")).containsEntry("message", "operator stop");
        api.post().uri("/v1/executions/{id}/stop?waitSeconds=10", id).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("EXECUTION_FINISHED");
        api.post().uri("/v1/executions/{id}/stop?waitSeconds=10", UUID.randomUUID()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("EXECUTION_NOT_FOUND");
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.type == 'STATUS')].status")
                .value(statuses -> assertThat((List<String>) statuses).containsExactly("QUEUED", "RUNNING",
                        "CANCELLED"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(taskSteps(id))
                .containsExactly(Map.of("position", "/do/0/call", "status", "CANCELLED", "attempts", 1)));
    }

    private static String start(String key, String body, int expectedStatus) {
        Map<?, ?> created = ingress.post().uri("/v1/workflows/demo/executions").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(expectedStatus)
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }

    @Test
    void shouldRunAnInputWithANulCharacterAsGivenAndGoOnShowingEveryExecution() {
        String id = start(UUID.randomUUID().toString(), "{\"inputData\":{\"x\":\"a\\u0000b\"}}", 201);

        Map<?, ?> view = awaitStatus(id, "SUCCEEDED");
        assertThat((Map<String, Object>) view.get("input")).containsEntry("x", "a\u0000b");
        assertThat((Map<String, Object>) view.get("output")).containsEntry("x", "a\u0000b");
        String after = start(UUID.randomUUID().toString(), "{\"inputData\":{\"x\":2}}", 201);
        awaitStatus(after, "SUCCEEDED");
        projection.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.type == 'TASK' && @.taskName == 'echo')].output.x").isEqualTo(
                        List.of("a\u0000b"));
    }

    @Test
    void shouldCarryOutAnInputJustUnderTheIngressLimitAndRefuseOneJustOver() {
        define("keeps-little", """
                document: {dsl: '1.0.0', namespace: examples, name: keeps-little, version: '0.1.0'}
                do:
                  - note:
                      set: {seen: '${ .blob | length }'}
                """);
        String under = start("keeps-little", "{\"inputData\":{\"blob\":\"" + "y".repeat(163_000) + "\"}}");

        Map<?, ?> done = awaitStatus(under, "SUCCEEDED");
        assertThat((Map<String, Object>) done.get("output")).containsEntry("seen", 163_000);
        ingress.post().uri("/v1/workflows/keeps-little/executions").header("Idempotency-Key", UUID.randomUUID()
                        .toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{\"blob\":\"" + "y".repeat(164_000) + "\"}}").exchange()
                .expectStatus().isEqualTo(413);
    }

    @Test
    void shouldRunAnExecutionFromPostToSucceededView() {
        String key = UUID.randomUUID().toString();
        String id = start(key, "{\"inputData\":{\"x\":1}}", 201);
        assertThat(start(key, "{\"inputData\":{\"x\":1}}", 200)).isEqualTo(id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> projection.get().uri("/v1/executions/{id}", id)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.workflowId").isEqualTo("demo")
                .jsonPath("$.input.x").isEqualTo(1)
                .jsonPath("$.output.x").isEqualTo(1)
                .jsonPath("$.output.done").isEqualTo(true)
                .jsonPath("$.finishedAt").isNotEmpty()
                .jsonPath("$.durationMs").isNumber());
    }

    @Test
    void shouldAnswerUnknownPathsAtTheEdgeInTheApiErrorModel() {
        api.get().uri("/v2/nothing").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND")
                .jsonPath("$.title").isEqualTo("Not Found")
                .jsonPath("$.message").isEqualTo("No API at GET /v2/nothing");
        api.get().uri("/v1/workflows/demo").header("X-API-Key", "wrong").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void shouldShowAFailedExecutionWithItsError() {
        String id = start(UUID.randomUUID().toString(), "{\"inputData\":{\"raise\":\"insufficient funds\"}}", 201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> projection.get().uri("/v1/executions/{id}", id)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("FAILED")
                .jsonPath("$.error.code").isEqualTo("WORKFLOW_ERROR")
                .jsonPath("$.error.message").value(m -> assertThat((String) m)
                        .startsWith("Refused: insufficient funds (status 422")));
    }

    @Test
    void shouldPublishStatusEventsThatAnyRegistryAwareConsumerCanRead() {
        String id = start(UUID.randomUUID().toString(), "{\"inputData\":{\"n\":7}}", 201);
        var deserializer = new AvroDeserializer<ExecutionStatusChanged>();
        deserializer.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
        List<ExecutionStatusChanged> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "e2e-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of("runstream.executions.status"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(id)) {
                        seen.add(r.value());
                    }
                });
                assertThat(seen).extracting(ExecutionStatusChanged::getStatus)
                        .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
            });
        }
    }

    @Test
    void shouldTakeEventsInAndEmitThemToTheEventLogUnderTheSendersTenant() {
        String sent = UUID.randomUUID().toString();
        api.post().uri("/v1/events").contentType(MediaType.parseMediaType("application/cloudevents+json"))
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"" + sent + "\",\"source\":\"/e2e\","
                        + "\"type\":\"e2e.sent\",\"runstreamtenant\":\"other\",\"data\":{\"n\":1}}")
                .exchange().expectStatus().isAccepted();
        define("emitter", """
                document: {dsl: '1.0.0', namespace: e2e, name: emitter, version: '1.0.0'}
                do:
                  - tell:
                      emit:
                        event:
                          with: {source: https://e2e.example, type: e2e.emitted, subject: '${ .order }'}
                """);
        String id = start("emitter", "{\"inputData\":{\"order\":\"o-9\"}}");
        Map<?, ?> view = awaitStatus(id, "SUCCEEDED");
        assertThat(((Map<?, ?>) view.get("output")).get("id")).as("the event is the task's output")
                .isEqualTo(id + "-1");

        Map<String, CloudEvent> found = new java.util.HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "e2e-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of("runstream.events"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    CloudEvent event = KafkaMessageFactory.createReader(r.headers(), r.value()).toEvent();
                    found.put(event.getId(), event);
                });
                assertThat(found).containsKeys(sent, id + "-1");
            });
        }
        assertThat(found.get(sent).getExtension("runstreamtenant")).as("the key's tenant, not the claim")
                .isEqualTo("default");
        CloudEvent emitted = found.get(id + "-1");
        assertThat(emitted.getType()).isEqualTo("e2e.emitted");
        assertThat(emitted.getSubject()).isEqualTo("o-9");
        assertThat(emitted.getExtension("runstreamtenant")).isEqualTo("default");
    }
}
