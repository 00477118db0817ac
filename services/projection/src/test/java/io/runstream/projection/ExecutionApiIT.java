package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionError;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskEvent;
import io.runstream.schemas.TaskEventDirection;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

/** The execution API over the view: list, history, live status and long poll, each tenant on its own. */
class ExecutionApiIT extends ProjectionTestBase {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private static ExecutionStatusChanged change(String id, String workflow, ExecutionStatus status, long sequence,
            Instant startedAt, Instant at, Map<String, String> metadata) {
        var builder = ExecutionStatusChanged.newBuilder().setExecutionId(id).setWorkflowId(workflow)
                .setTenant("default").setStatus(status).setSequence(sequence).setAttempt(1).setOccurredAt(at)
                .setRequestedAt(startedAt).setMetadata(metadata);
        if (status == ExecutionStatus.QUEUED) {
            builder.setInputJson("{}");
        }
        if (status == ExecutionStatus.FAILED) {
            builder.setError(new ExecutionError("WORKFLOW_ERROR", "boom"));
        }
        return builder.build();
    }

    /** Five executions of a fresh workflow, started a minute apart: e0 oldest ... e4 newest. */
    private List<String> fiveExecutions(String workflow) throws Exception {
        List<String> ids = new ArrayList<>();
        ExecutionStatus[] ends = {ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED,
                ExecutionStatus.RUNNING, ExecutionStatus.QUEUED};
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            Instant started = DAY.plusSeconds(60L * i);
            Map<String, String> metadata = Map.of("sourceSystem", i % 2 == 0 ? "crm" : "erp", "externalRef",
                    "ref-" + workflow + "-" + i, "sourceEntityId", "entity-" + i);
            send(id, change(id, workflow, ExecutionStatus.QUEUED, 1, started, started, metadata));
            if (ends[i] != ExecutionStatus.QUEUED) {
                send(id, change(id, workflow, ExecutionStatus.RUNNING, 2, started, started.plusSeconds(1), Map.of()));
            }
            if (ends[i].name().endsWith("ED") && ends[i] != ExecutionStatus.QUEUED) {
                // finished in reverse order of start: e0 last
                send(id, change(id, workflow, ends[i], 3, started, DAY.plusSeconds(3600 - 60L * i), Map.of()));
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsOf(web.get()
                .uri("/v1/executions?workflowId={w}&limit=100", workflow))).hasSize(5));
        return ids;
    }

    private static Map<String, Object> page(org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<String> idsOf(org.springframework.test.web.reactive.server.WebTestClient.RequestHeadersSpec<?> request) {
        return ((List<Map<String, Object>>) page(request).get("items")).stream()
                .map(item -> (String) item.get("executionId")).toList();
    }

    @Test
    void shouldPageThroughAFilteredListWithAnOpaqueCursor() throws Exception {
        String workflow = "list-" + UUID.randomUUID();
        List<String> ids = fiveExecutions(workflow);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String uri = "/v1/executions?workflowId=" + workflow + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<String, Object> page = page(web.get().uri(uri));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            items.forEach(item -> seen.add((String) item.get("executionId")));
            cursor = (String) page.get("nextCursor");
            assertThat(page.get("hasMore")).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(idsOf(web.get().uri("/v1/executions?workflowId={w}&order=asc&limit=100", workflow)))
                .containsExactlyElementsOf(ids);
    }

    @Test
    void shouldFilterByStatusTimeAndSourceFieldsAndOrderByFinishTime() throws Exception {
        String workflow = "filter-" + UUID.randomUUID();
        List<String> ids = fiveExecutions(workflow);
        String base = "/v1/executions?limit=100&workflowId=" + workflow;

        assertThat(idsOf(web.get().uri(base + "&status=SUCCEEDED,FAILED")))
                .containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(idsOf(web.get().uri(base + "&status=RUNNING&status=QUEUED")))
                .containsExactly(ids.get(4), ids.get(3));
        assertThat(idsOf(web.get().uri(base + "&sourceSystem=erp"))).containsExactly(ids.get(3), ids.get(1));
        assertThat(idsOf(web.get().uri("/v1/executions?externalRef=ref-" + workflow + "-2")))
                .containsExactly(ids.get(2));
        assertThat(idsOf(web.get().uri(base + "&sourceEntityId=entity-4"))).containsExactly(ids.get(4));
        assertThat(idsOf(web.get().uri(base + "&startedFrom=2026-11-20T00:01:00Z&startedTo=2026-11-20T00:03:00Z")))
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(web.get().uri(base + "&orderBy=finishedAt&order=asc")))
                .as("finished ones only, e2 finished first").containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(idsOf(web.get().uri(base + "&finishedFrom=2026-11-20T00:58:30Z")))
                .containsExactly(ids.get(1), ids.get(0));
    }

    @Test
    void shouldRejectBadListParametersWithClearErrors() throws Exception {
        String workflow = "bad-" + UUID.randomUUID();
        fiveExecutions(workflow);
        String cursor = (String) page(web.get().uri("/v1/executions?workflowId={w}&limit=1", workflow))
                .get("nextCursor");

        web.get().uri("/v1/executions?cursor=not-a-cursor").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_CURSOR");
        web.get().uri("/v1/executions?workflowId={w}&order=asc&cursor={c}", workflow, cursor).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_CURSOR")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("STARTED_AT desc"));
        web.get().uri("/v1/executions?limit=0").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        web.get().uri("/v1/executions?limit=101").exchange().expectStatus().isBadRequest();
        web.get().uri("/v1/executions?status=BOGUS").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("BOGUS"));
        web.get().uri("/v1/executions?startedFrom=yesterday").exchange().expectStatus().isBadRequest();
        web.get().uri("/v1/executions?orderBy=name").exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldTakeNoCommandsBecauseTheIngressDoes() {
        web.post().uri("/v1/executions/{id}/stop", UUID.randomUUID()).exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldShowNothingOfAnotherTenant() throws Exception {
        String workflow = "tenant-" + UUID.randomUUID();
        List<String> ids = fiveExecutions(workflow);
        var other = anonymous.mutate().defaultHeader("X-API-Key", "rs_dev_other_key").build();

        assertThat(idsOf(other.get().uri("/v1/executions?workflowId={w}", workflow))).isEmpty();
        other.get().uri("/v1/executions/{id}/history", ids.get(0)).exchange().expectStatus().isNotFound();
        other.get().uri("/v1/executions/{id}/events", ids.get(0)).exchange().expectStatus().isNotFound();
        anonymous.get().uri("/v1/executions").exchange().expectStatus().isUnauthorized();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowASubflowsParentListAParentsSubflowsAndNameTheChildInTheParentsHistory() throws Exception {
        String parent = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        send(parent, change(parent, "order", ExecutionStatus.QUEUED, 1, t, t, Map.of()),
                change(parent, "order", ExecutionStatus.RUNNING, 2, t, t.plusMillis(5), Map.of()));
        for (String child : List.of(first, second)) {
            Instant started = child.equals(first) ? t.plusMillis(10) : t.plusMillis(20);
            // its QUEUED event comes last: the parent is kept whichever order its events come in
            send(child, ExecutionStatusChanged.newBuilder(change(child, "pay", ExecutionStatus.RUNNING, 2, started,
                    started.plusMillis(1), Map.of())).setParentExecutionId(parent).build(),
                    ExecutionStatusChanged.newBuilder(change(child, "pay", ExecutionStatus.QUEUED, 1, started,
                    started, Map.of())).setParentExecutionId(parent).build());
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.tasks", parent, ExecutionTaskEnded.newBuilder(
                    step(parent, "/do/0/pay", "run", TaskStatus.COMPLETED, 1, t.plusMillis(10), t.plusMillis(30)))
                    .setChildExecutionId(first).build())).get();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsOf(web.get()
                .uri("/v1/executions?parentExecutionId={p}", parent))).containsExactly(second, first));
        web.get().uri("/v1/executions/{id}", first).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.parentExecutionId").isEqualTo(parent);
        web.get().uri("/v1/executions/{id}", parent).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.parentExecutionId").isEmpty();
        assertThat((List<Map<String, Object>>) page(web.get().uri("/v1/executions?parentExecutionId={p}", parent))
                .get("items")).allSatisfy(item -> assertThat(item.get("parentExecutionId")).isEqualTo(parent));
        assertThat(idsOf(web.get().uri("/v1/executions?parentExecutionId={p}&workflowId=order", parent))).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history(parent, 100))
                .filteredOn(e -> "TASK".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e.get("childExecutionId")).isEqualTo(first)));
        web.get().uri("/v1/executions?parentExecutionId=not-an-id").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("parentExecutionId"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPageThroughHistoryOfStatusChangesAndTaskSteps() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        send(id, change(id, "hist", ExecutionStatus.QUEUED, 1, t, t, Map.of()),
                change(id, "hist", ExecutionStatus.RUNNING, 2, t, t.plusMillis(10), Map.of()),
                change(id, "hist", ExecutionStatus.FAILED, 3, t, t.plusMillis(500), Map.of()));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.tasks", id, step(id, "/do/0/fetch", "try",
                    TaskStatus.COMPLETED, 3, t.plusMillis(20), t.plusMillis(300)))).get();
            producer.send(new ProducerRecord<>("runstream.executions.tasks", id, step(id, "/do/1/check", "raise",
                    TaskStatus.FAULTED, 1, t.plusMillis(300), t.plusMillis(490)))).get();
            producer.send(new ProducerRecord<>("runstream.executions.tasks", id, ExecutionTaskEnded.newBuilder(
                    step(id, "/do/2/hear", "listen", TaskStatus.CANCELLED, 1, t.plusMillis(400), t.plusMillis(495)))
                    .setEvents(List.of(new TaskEvent(TaskEventDirection.CONSUMED, "order.paid",
                            "https://payments.example", "pay-7"))).build())).get();
        }

        List<Map<String, Object>> entries = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            entries.clear();
            String cursor = null;
            do {
                Map<String, Object> page = page(web.get().uri("/v1/executions/" + id + "/history?limit=2"
                        + (cursor == null ? "" : "&cursor=" + cursor)));
                entries.addAll((List<Map<String, Object>>) page.get("items"));
                cursor = (String) page.get("nextCursor");
            } while (cursor != null);
            assertThat(entries).hasSize(6);
        });
        assertThat(entries).extracting(e -> e.get("type") + ":" + (e.get("position") != null ? e.get("position")
                : e.get("status"))).containsExactly("STATUS:QUEUED", "STATUS:RUNNING", "TASK:/do/0/fetch",
                "TASK:/do/1/check", "TASK:/do/2/hear", "STATUS:FAILED");
        assertThat(entries.get(4).get("events")).isEqualTo(List.of(Map.of("direction", "CONSUMED", "type",
                "order.paid", "source", "https://payments.example", "id", "pay-7")));
        assertThat(entries.get(2)).as("a task that took part in no event lists none").doesNotContainKey("events");
        assertThat(entries.get(2)).containsEntry("taskAttempts", 3).containsEntry("taskType", "try")
                .containsEntry("taskName", "fetch");
        assertThat((Map<String, Object>) entries.get(3).get("error")).containsEntry("message", "Refused");
        web.get().uri("/v1/executions/{id}/history?cursor=zzz", id).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_CURSOR");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListNumberedEntriesInTheirOrderAfterEntriesWrittenBeforeAndPageAcrossTheNewKey() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant t = Instant.parse("2026-11-21T11:00:00Z");
        Instant same = t.plusMillis(30);
        // a worker before ordinals wrote the first three, the last two in one millisecond; then a numbered run, all
        // in one millisecond too, sent in an order a consumer may read them in
        send(id, change(id, "hist", ExecutionStatus.QUEUED, 1, t, t, Map.of()),
                change(id, "hist", ExecutionStatus.RUNNING, 2, t, t.plusMillis(10), Map.of()));
        send(id, ExecutionStatusChanged.newBuilder(change(id, "hist", ExecutionStatus.RUNNING, 3, t, same, Map.of()))
                .setOrdinal(4).build());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionTaskEnded>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.tasks", id, step(id, "/do/0/old", "set",
                    TaskStatus.COMPLETED, 1, t.plusMillis(10), t.plusMillis(10)))).get();
            for (String[] numbered : new String[][] {{"/do/1/setBlue", "7"}, {"/do/0/setRed", "5"},
                    {"/do/2/setGreen", "6"}}) {
                producer.send(new ProducerRecord<>("runstream.executions.tasks", id, ExecutionTaskEnded.newBuilder(
                        step(id, numbered[0], "set", TaskStatus.COMPLETED, 1, same, same))
                        .setStep(Long.parseLong(numbered[1]) - 4).setOrdinal(Long.parseLong(numbered[1])).build()))
                        .get();
            }
        }
        send(id, ExecutionStatusChanged.newBuilder(change(id, "hist", ExecutionStatus.SUCCEEDED, 4, t, same,
                Map.of())).setOrdinal(8).build());
        List<String> expected = List.of("STATUS:QUEUED", "STATUS:RUNNING", "TASK:/do/0/old", "STATUS:RUNNING",
                "TASK:/do/0/setRed", "TASK:/do/2/setGreen", "TASK:/do/1/setBlue", "STATUS:SUCCEEDED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(history(id, 100)).hasSize(8));
        for (int limit : new int[] {100, 1, 2, 3}) {
            assertThat(history(id, limit)).as("pages of %d", limit)
                    .extracting(e -> e.get("type") + ":" + (e.get("position") != null ? e.get("position")
                            : e.get("status"))).containsExactlyElementsOf(expected);
        }
        assertThat(history(id, 100)).extracting(e -> e.get("ordinal"))
                .containsExactly(null, null, null, 4, 5, 6, 7, 8);
        List<Map<String, Object>> yandex = (List<Map<String, Object>>) page(web.get()
                .uri("/workflows/v1/execution/{id}/history", id)).get("entries");
        assertThat(yandex).extracting(e -> e.get("title")).containsExactly("old", "setRed", "setGreen", "setBlue");
    }

    /** The whole history of an execution, read {@code limit} entries a page. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> history(String id, int limit) {
        List<Map<String, Object>> entries = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = page(web.get().uri("/v1/executions/" + id + "/history?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            entries.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return entries;
    }

    private static ExecutionTaskEnded step(String id, String position, String type, TaskStatus status, int attempts,
            Instant started, Instant ended) {
        return ExecutionTaskEnded.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("hist")
                .setAttempt(1).setName(position.substring(position.lastIndexOf('/') + 1)).setPosition(position)
                .setTaskType(type).setStatus(status).setTaskAttempts(attempts).setStartedAt(started)
                .setEndedAt(ended).setError(status == TaskStatus.FAULTED
                        ? new ExecutionError("https://example.com/errors/refused", "Refused") : null)
                .build();
    }

    private String queuedExecution() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        send(id, change(id, "live", ExecutionStatus.QUEUED, 1, now, now, Map.of()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk());
        return id;
    }

    @Test
    void shouldStreamStatusChangesFromTheCurrentOneToTheTerminalOne() throws Exception {
        String id = queuedExecution();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> statuses = web.get().uri("/v1/executions/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .map(event -> event.event() + ":" + event.data().get("status"))
                .doOnNext(seen::add)
                .collectList().toFuture();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        Instant now = Instant.now();
        send(id, change(id, "live", ExecutionStatus.RUNNING, 2, now, now, Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        send(id, change(id, "live", ExecutionStatus.SUCCEEDED, 3, now, now.plusMillis(5), Map.of()));

        assertThat(statuses.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .containsExactly("status:QUEUED", "status:RUNNING", "status:SUCCEEDED");
    }

    @Test
    void shouldLongPollUntilTheExecutionFinishesOrTheWaitEnds() throws Exception {
        String id = queuedExecution();
        long began = System.nanoTime();
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("QUEUED");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        CompletableFuture<String> waited = CompletableFuture.supplyAsync(() -> (String) page(web.get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds=30", id)).get("status"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !waited.isDone());
        Instant now = Instant.now();
        send(id, change(id, "live", ExecutionStatus.FAILED, 2, now, now, Map.of()));

        assertThat(waited.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("FAILED");
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=61", id).exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldWaitForAnExecutionStartedAMomentAgoThatIsNotInTheViewYet() throws Exception {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> waited = CompletableFuture.supplyAsync(() -> (String) page(web.get()
                .uri("/v1/executions/{id}?waitForTerminalSeconds=30", id)).get("status"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !waited.isDone());

        Instant now = Instant.now();
        send(id, change(id, "late", ExecutionStatus.QUEUED, 1, now, now, Map.of()),
                change(id, "late", ExecutionStatus.SUCCEEDED, 2, now, now.plusMillis(5), Map.of()));

        assertThat(waited.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("SUCCEEDED");
        web.get().uri("/v1/executions/{id}?waitForTerminalSeconds=1", UUID.randomUUID()).exchange()
                .expectStatus().isNotFound();
    }
}
