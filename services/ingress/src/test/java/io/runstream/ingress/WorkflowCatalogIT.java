package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The workflow catalog on a real database and broker: versions, activation, validation and start checks. */
class WorkflowCatalogIT extends IngressTestBase {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private WebTestClient.ResponseSpec put(String id, MediaType type, String body) {
        return web.put().uri("/v1/workflows/{id}", id).contentType(type).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec startExecution(String workflowId) {
        return web.post().uri("/v1/workflows/{id}/executions", workflowId).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).bodyValue("{\"inputData\":{}}").exchange();
    }

    @Test
    void shouldVersionEveryPutAndPublishItToTheCompactedTopic() {
        String id = "wf-" + UUID.randomUUID();
        put(id, YAML, IngressIT.DEMO).expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.active").isEqualTo(true);
        put(id, MediaType.APPLICATION_JSON, """
                {"document": {"dsl": "1.0.0", "namespace": "test", "name": "demo", "version": "0.2.0"},
                 "do": [{"greet": {"set": {"hello": "world"}}}]}""")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(2).jsonPath("$.format").isEqualTo("JSON");

        web.get().uri("/v1/workflows/{id}", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(2)
                .jsonPath("$.definition").value(d -> assertThat((String) d).contains("0.2.0"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(workflowRecords(id))
                .extracting(WorkflowDefinition::getVersion).containsExactly(1, 2));
        assertThat(jdbc.sql("SELECT published_at IS NOT NULL FROM workflows WHERE workflow_id = ?").param(id)
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void shouldPublishAStoredWorkflowChangeThatNeverReachedTheTopic() {
        String id = "outbox-" + UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO workflow_definitions (tenant, workflow_id, version, format, definition, created_at)
                VALUES ('default', ?, 1, 'YAML', ?, now() - interval '1 minute')""").params(id, IngressIT.DEMO).update();
        jdbc.sql("""
                INSERT INTO workflows (tenant, workflow_id, latest_version, active, updated_at)
                VALUES ('default', ?, 1, false, now() - interval '1 minute')""").param(id).update();

        assertThat(workflowRecords(id)).singleElement().satisfies(w -> {
            assertThat(w.getVersion()).isEqualTo(1);
            assertThat(w.getActive()).isFalse();
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.sql(
                "SELECT published_at IS NOT NULL FROM workflows WHERE workflow_id = ?").param(id)
                .query(Boolean.class).single()).isTrue());
    }

    private static List<WorkflowDefinition> workflowRecords(String id) {
        var deserializer = new AvroDeserializer<>(SchemaRegistry.forUrl(infra.schemaRegistryUrl()),
                WorkflowDefinition.class);
        List<WorkflowDefinition> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                infra.kafkaBootstrapServers(), "group.id", "catalog-it-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of("runstream.workflows"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals("default/" + id)) {
                        seen.add(r.value());
                    }
                });
                assertThat(seen).isNotEmpty();
            });
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (r.key().equals("default/" + id)) {
                    seen.add(r.value());
                }
            });
        }
        return seen;
    }

    @Test
    void shouldRejectAnInvalidDefinitionNamingThePath() {
        put("wf-" + UUID.randomUUID(), YAML, IngressIT.DEMO.replace("set:", "sett:"))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("/do/0/echo").hasSizeLessThan(300));
    }

    @Test
    void shouldRefuseWhatARunWouldTripOnWhenTheDefinitionIsStored() {
        String id = "wf-" + UUID.randomUUID();
        put(id, YAML, """
                document: {dsl: '1.0.0', namespace: test, name: tripping, version: '0.1.0'}
                do:
                  - check:
                      if: .amount >
                      set: {ok: true}
                  - pay:
                      try: [{call: {set: {paid: true}}}]
                      catch: {retry: thrice}
                      then: nowhere
                """)
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/do/0/check/if: '.amount >' is not a valid jq expression")
                        .contains("/do/1/pay/then: 'then: nowhere' names no task in the same list")
                        .contains("/do/1/pay/catch/retry: 'thrice' is not defined under use.retries"));
        web.get().uri("/v1/workflows/{id}", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldRefuseAShellTask() {
        put("wf-" + UUID.randomUUID(), YAML, SdkShell.DEFINITION)
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNSUPPORTED_FEATURE")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("'run: shell'"));
    }

    @Test
    void shouldRejectAnUnsupportedContentType() {
        put("wf-" + UUID.randomUUID(), MediaType.TEXT_PLAIN, IngressIT.DEMO).expectStatus().isEqualTo(415);
    }

    @Test
    void shouldAnswer404ForAnUnknownWorkflow() {
        String id = "missing-" + UUID.randomUUID();
        web.get().uri("/v1/workflows/{id}", id).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_NOT_FOUND");
        startExecution(id).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_NOT_FOUND");
        web.post().uri("/v1/workflows/{id}/deactivate", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldRefuseToStartADeactivatedWorkflowUntilReactivated() {
        String id = "wf-" + UUID.randomUUID();
        put(id, YAML, IngressIT.DEMO).expectStatus().isCreated();

        web.post().uri("/v1/workflows/{id}/deactivate", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.active").isEqualTo(false);
        startExecution(id).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("WORKFLOW_INACTIVE");

        web.post().uri("/v1/workflows/{id}/activate", id).exchange().expectStatus().isOk();
        startExecution(id).expectStatus().isCreated();
    }

    @Test
    void shouldListWorkflowsInPagesWithAnOpaqueCursor() {
        String prefix = "page-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 3; i++) {
            put(prefix + i, YAML, IngressIT.DEMO).expectStatus().isCreated();
        }
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String uri = "/v1/workflows?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<?, ?> page = web.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            for (Object item : (List<?>) page.get("items")) {
                ids.add((String) ((Map<?, ?>) item).get("workflowId"));
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);

        assertThat(ids).filteredOn(i -> i.startsWith(prefix)).containsExactly(prefix + 0, prefix + 1, prefix + 2);
        assertThat(ids).isSorted();
        web.get().uri("/v1/workflows?cursor=***").exchange().expectStatus().isBadRequest();
        web.get().uri("/v1/workflows?limit=0").exchange().expectStatus().isBadRequest();
    }

    @Test
    void shouldShowTheScheduleAndItsNextFireTimeWhileActive() {
        String hourly = "hourly-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        String plain = "plain-" + UUID.randomUUID();
        Instant before = Instant.now();
        Map<String, Object> created = json(put(hourly, YAML, scheduled("{every: PT1H}")).expectStatus().isCreated());
        put(after, YAML, scheduled("{after: PT5M}")).expectStatus().isCreated();
        put(plain, YAML, IngressIT.DEMO).expectStatus().isCreated();

        Map<String, Object> workflow = workflow(hourly);
        Instant sent = Instant.now();
        assertThat(created.get("schedule")).as("PUT answers with it too").isEqualTo(workflow.get("schedule"));
        Map<String, Object> schedule = json(workflow.get("schedule"));
        assertThat(schedule).containsEntry("kind", "every").containsEntry("expression", "PT1H");
        Instant next = Instant.parse((String) schedule.get("nextFireAt"));
        assertThat(next).as("the next whole hour").isEqualTo(next.truncatedTo(ChronoUnit.HOURS))
                .isAfter(before).isBeforeOrEqualTo(sent.plus(Duration.ofHours(1)));
        assertThat(listed(hourly).get("schedule")).as("the list shows it").isEqualTo(schedule);

        assertThat(json(workflow(after).get("schedule"))).as("after counts from the end of a run")
                .containsEntry("kind", "after").containsEntry("expression", "PT5M").containsEntry("nextFireAt", null);
        assertThat(workflow(plain)).as("no schedule, no field").doesNotContainKey("schedule")
                .containsEntry("workflowId", plain);

        Map<String, Object> deactivated = json(web.post().uri("/v1/workflows/{id}/deactivate", hourly).exchange()
                .expectStatus().isOk());
        assertThat(json(deactivated.get("schedule"))).containsEntry("kind", "every")
                .containsEntry("nextFireAt", null);
        assertThat(json(workflow(hourly).get("schedule"))).containsEntry("nextFireAt", null);
    }

    private static String scheduled(String schedule) {
        return IngressIT.DEMO.replace("\ndo:\n", "\nschedule: " + schedule + "\ndo:\n");
    }

    private Map<String, Object> workflow(String id) {
        return json(web.get().uri("/v1/workflows/{id}", id).exchange().expectStatus().isOk());
    }

    private static Map<String, Object> json(WebTestClient.ResponseSpec response) {
        return json(response.expectBody(Map.class).returnResult().getResponseBody());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object object) {
        return (Map<String, Object>) object;
    }

    /** The workflow as the list shows it, paging until it comes. */
    private Map<String, Object> listed(String id) {
        String cursor = null;
        do {
            Map<?, ?> page = web.get().uri("/v1/workflows?limit=100" + (cursor == null ? "" : "&cursor=" + cursor))
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            for (Object item : (List<?>) page.get("items")) {
                if (id.equals(((Map<?, ?>) item).get("workflowId"))) {
                    return json(item);
                }
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        throw new AssertionError("the list has no workflow " + id);
    }

    /** A definition with a shell task. */
    static final class SdkShell {
        static final String DEFINITION = """
                document:
                  dsl: '1.0.0'
                  namespace: test
                  name: shell
                  version: '0.1.0'
                do:
                  - list:
                      run:
                        shell:
                          command: ls
                """;
    }
}
