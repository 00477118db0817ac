package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionError;
import io.runstream.schemas.ExecutionPhase;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A redriven execution in the view and on every read path: QUEUED, RUNNING, FAILED, then RUNNING again with
 * redriveCount 1 (sequence 4), then SUCCEEDED, as the worker publishes it.
 */
class RedriveIT extends ProjectionTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    /** One of the base events, of this workflow and redrive. */
    private static ExecutionStatusChanged event(String id, String workflow, ExecutionStatus status, long sequence,
            int redriveCount) {
        return ExecutionStatusChanged.newBuilder(event(id, status, sequence)).setWorkflowId(workflow)
                .setRedriveCount(redriveCount).build();
    }

    /** QUEUED, RUNNING and FAILED (WORKFLOW_ERROR "boom" at T0 + 300 ms), applied. */
    private String failedExecution(String workflow) throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, workflow, ExecutionStatus.QUEUED, 1, 0), event(id, workflow, ExecutionStatus.RUNNING, 2, 0),
                event(id, workflow, ExecutionStatus.FAILED, 3, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(execution(id)).containsEntry("status", "FAILED"));
        return id;
    }

    private Map<String, Object> execution(String id) {
        return get("/v1/executions/" + id);
    }

    private Map<String, Object> get(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> history(String id) {
        return (List<Map<String, Object>>) get("/v1/executions/" + id + "/history?limit=100").get("items");
    }

    /** Another execution whose records on {@code topic} share the partition of {@code id}'s, so come after them. */
    private static String onTheSamePartition(String topic, String id) throws Exception {
        int partitions;
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new StringSerializer(), new StringSerializer())) {
            partitions = producer.partitionsFor(topic).size();
        }
        while (true) {
            String other = UUID.randomUUID().toString();
            if (partition(other, partitions) == partition(id, partitions)) {
                return other;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReopenTheViewOnRedriveAndFinishItWithTheRedrivenOutcome() throws Exception {
        String workflow = "redrive-" + UUID.randomUUID();
        String id = failedExecution(workflow);
        assertThat(execution(id)).containsEntry("finishedAt", "2026-11-23T10:00:00.300Z")
                .containsEntry("redriveCount", 0);

        send(id, event(id, workflow, ExecutionStatus.RUNNING, 4, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(execution(id))
                .containsEntry("status", "RUNNING").containsEntry("redriveCount", 1)
                .containsEntry("finishedAt", null).containsEntry("durationMs", null).containsEntry("error", null)
                .containsEntry("input", Map.of("x", 1)));

        // the old FAILED, redelivered, and then an event of another execution applied after it
        send(id, event(id, workflow, ExecutionStatus.FAILED, 3, 0));
        String marker = onTheSamePartition(STATUS, id);
        send(marker, event(marker, "marker", ExecutionStatus.QUEUED, 1, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", marker).exchange().expectStatus().isOk());
        assertThat(execution(id)).containsEntry("status", "RUNNING").containsEntry("redriveCount", 1)
                .containsEntry("finishedAt", null).containsEntry("error", null);
        assertThat(history(id)).hasSize(4);

        send(id, event(id, workflow, ExecutionStatus.SUCCEEDED, 5, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(execution(id))
                .containsEntry("status", "SUCCEEDED").containsEntry("redriveCount", 1)
                .containsEntry("output", Map.of("y", 2)).containsEntry("error", null)
                .containsEntry("finishedAt", "2026-11-23T10:00:00.500Z").containsEntry("durationMs", 500));

        List<Map<String, Object>> entries = history(id);
        assertThat(entries).extracting(e -> e.get("type") + ":" + e.get("status") + ":" + e.get("redriveCount"))
                .containsExactly("STATUS:QUEUED:0", "STATUS:RUNNING:0", "STATUS:FAILED:0", "STATUS:RUNNING:1",
                        "STATUS:SUCCEEDED:1");
        assertThat((Map<String, Object>) entries.get(2).get("error")).containsEntry("code", "WORKFLOW_ERROR");
        assertThat(entries.get(3)).doesNotContainKey("error");
        assertThat((List<Map<String, Object>>) get("/v1/executions?workflowId=" + workflow).get("items"))
                .singleElement().satisfies(item -> assertThat(item).containsEntry("status", "SUCCEEDED")
                        .containsEntry("redriveCount", 1));
    }

    @Test
    void shouldKeepTheRerunOfAFailedTaskStepApartFromItInHistory() throws Exception {
        String id = failedExecution("redrive-steps");
        // the rerun goes on from the progress of the failure: same attempt, position, start and step number
        var failed = ExecutionTaskEnded.newBuilder().setExecutionId(id).setTenant("default")
                .setWorkflowId("redrive-steps").setAttempt(1).setStep(2).setName("charge").setPosition("/do/1/charge")
                .setTaskType("call").setStatus(TaskStatus.FAULTED).setStartedAt(T0.plusMillis(210))
                .setEndedAt(T0.plusMillis(290)).setError(new ExecutionError("https://example.com/errors/down", "Down"))
                .build();
        var rerun = ExecutionTaskEnded.newBuilder(failed).setStatus(TaskStatus.COMPLETED).setError(null)
                .setEndedAt(T0.plusMillis(450)).setRedriveCount(1).build();
        String marker = onTheSamePartition(TASKS, id);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>(TASKS, id, failed)).get();
            producer.send(new ProducerRecord<>(TASKS, id, rerun)).get();
            producer.send(new ProducerRecord<>(TASKS, id, rerun)).get();
            producer.send(new ProducerRecord<>(TASKS, marker, ExecutionTaskEnded.newBuilder(failed)
                    .setExecutionId(marker).build())).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT count(*) FROM execution_task_steps WHERE execution_id = ?::uuid").param(marker)
                .query(Long.class).single()).isEqualTo(1L));
        assertThat(history(id)).filteredOn(e -> "TASK".equals(e.get("type")))
                .extracting(e -> e.get("position") + ":" + e.get("status") + ":" + e.get("redriveCount"))
                .containsExactly("/do/1/charge:FAULTED:0", "/do/1/charge:COMPLETED:1");
        assertThat(jdbc.sql("SELECT redrive_count FROM execution_task_steps WHERE execution_id = ?::uuid "
                + "ORDER BY redrive_count").param(id).query(Integer.class).list()).containsExactly(0, 1);
    }

    /** A client for calls that take longer than the default response timeout. */
    private WebTestClient patient() {
        return web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private CompletableFuture<List<String>> stream(String uri, List<String> seen) {
        return patient().get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .map(event -> event.data().get("status") + ":" + event.data().get("redriveCount"))
                .doOnNext(seen::add)
                .collectList().toFuture();
    }

    @Test
    void shouldEndTheStreamAtFailedUnlessItFollowsRedrives() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, "redrive-sse", ExecutionStatus.QUEUED, 1, 0),
                event(id, "redrive-sse", ExecutionStatus.RUNNING, 2, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(execution(id)).containsEntry("status", "RUNNING"));
        List<String> seenByDefault = new CopyOnWriteArrayList<>();
        List<String> seenFollowing = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> byDefault = stream("/v1/executions/" + id + "/events", seenByDefault);
        CompletableFuture<List<String>> following = stream("/v1/executions/" + id + "/events?followRedrives=true",
                seenFollowing);
        await().atMost(Duration.ofSeconds(10)).until(() -> seenByDefault.size() == 1 && seenFollowing.size() == 1);

        send(id, event(id, "redrive-sse", ExecutionStatus.FAILED, 3, 0));
        assertThat(byDefault.get(30, TimeUnit.SECONDS)).containsExactly("RUNNING:0", "FAILED:0");
        await().atMost(Duration.ofSeconds(10)).until(() -> seenFollowing.size() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !following.isDone());

        send(id, event(id, "redrive-sse", ExecutionStatus.RUNNING, 4, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> seenFollowing.size() == 3);
        send(id, event(id, "redrive-sse", ExecutionStatus.SUCCEEDED, 5, 1));

        assertThat(following.get(30, TimeUnit.SECONDS))
                .containsExactly("RUNNING:0", "FAILED:0", "RUNNING:1", "SUCCEEDED:1");
        web.get().uri("/v1/executions/{id}/events?followRedrives=maybe", id).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("followRedrives"));
    }

    @Test
    void shouldLongPollPastTheOldFailureWithMinSequenceAndAnswerWithTheRedrivenOutcome() throws Exception {
        String id = failedExecution("redrive-poll");
        WebTestClient patient = patient();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            longPollPastTheOldFailure(id, patient, callers);
        } finally {
            callers.shutdownNow();
        }
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1&minSequence=0", id).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("minSequence"));
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1&minSequence=soon", id).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
    }

    private void longPollPastTheOldFailure(String id, WebTestClient patient, ExecutorService callers)
            throws Exception {
        assertThat(patient.get().uri("/v1/executions/{id}?waitForTerminalSeconds=30", id).exchange()
                .expectBody(JSON).returnResult().getResponseBody())
                .as("without minSequence the failure is the answer, as before").containsEntry("status", "FAILED");

        CompletableFuture<Map<String, Object>> afterRedrive = CompletableFuture.supplyAsync(() -> patient.get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds=30&minSequence=4", id).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody(), callers);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !afterRedrive.isDone());

        send(id, event(id, "redrive-poll", ExecutionStatus.RUNNING, 4, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(execution(id)).containsEntry("status", "RUNNING"));
        CompletableFuture<Map<String, Object>> reopened = CompletableFuture.supplyAsync(() -> patient.get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds=30", id).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody(), callers);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !afterRedrive.isDone() && !reopened.isDone());

        send(id, event(id, "redrive-poll", ExecutionStatus.SUCCEEDED, 5, 1));
        assertThat(afterRedrive.get(30, TimeUnit.SECONDS)).containsEntry("status", "SUCCEEDED")
                .containsEntry("redriveCount", 1).containsEntry("output", Map.of("y", 2));
        assertThat(reopened.get(30, TimeUnit.SECONDS)).containsEntry("status", "SUCCEEDED")
                .containsEntry("redriveCount", 1);

        long began = System.nanoTime();
        assertThat(patient.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1&minSequence=9", id).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody())
                .as("when the wait ends, the current state").containsEntry("status", "SUCCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    private Map<String, Object> yandex(String id) {
        return get("/workflows/v1/execution/" + id);
    }

    @SuppressWarnings("unchecked")
    private List<String> yandexList(String workflow, String filter) {
        Map<String, Object> page = web.get().uri("/workflows/v1/execution?workflowId={w}&filter={f}", workflow, filter)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("executions")).stream().map(e -> (String) e.get("id")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowAReopenedExecutionAsRunningInTheYandexDialectAndItsNewOutcomeAfter() throws Exception {
        String workflow = "redrive-yandex-" + UUID.randomUUID();
        String id = failedExecution(workflow);
        Map<String, Object> failed = (Map<String, Object>) yandex(id).get("execution");
        assertThat(failed).containsEntry("status", "FAILED").containsEntry("duration", "0.3s").containsKey("error");
        assertThat(yandexList(workflow, "status=FAILED")).containsExactly(id);

        send(id, event(id, workflow, ExecutionStatus.RUNNING, 4, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((Map<String, Object>) yandex(id)
                .get("execution")).containsEntry("status", "RUNNING").doesNotContainKeys("duration", "error"));
        assertThat(yandexList(workflow, "status=RUNNING")).containsExactly(id);
        assertThat(yandexList(workflow, "status=FAILED")).isEmpty();
        assertThat(yandexList(workflow, "finished_at>2000-01-01T00:00:00Z")).isEmpty();

        send(id, ExecutionStatusChanged.newBuilder(event(id, workflow, ExecutionStatus.RUNNING, 5, 1))
                .setPhase(ExecutionPhase.SUSPENDED).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((Map<String, Object>) yandex(id)
                .get("execution")).containsEntry("status", "PAUSED"));
        assertThat(yandexList(workflow, "status=PAUSED")).containsExactly(id);

        send(id, event(id, workflow, ExecutionStatus.SUCCEEDED, 6, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((Map<String, Object>) yandex(id)
                .get("execution")).containsEntry("status", "FINISHED").containsEntry("duration", "0.6s")
                .containsEntry("result", Map.of("resultJson", "{\"y\":2}")).doesNotContainKey("error"));
        assertThat(yandexList(workflow, "status=FINISHED AND finished_at>2000-01-01T00:00:00Z")).containsExactly(id);
    }
}
