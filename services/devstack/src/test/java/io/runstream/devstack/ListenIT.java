package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code listen} as a user meets it on the whole stack: workflows stored with PUT, executions started with POST and
 * read from the view, and the events that answer them sent with {@code POST /v1/events} (structured, binary and batch
 * mode), by a plain Kafka producer in the CloudEvents Kafka binding, or to one execution as a signal. Every test uses
 * event types of its own, so the events of one never reach the listens of another.
 */
@SuppressWarnings("unchecked")
class ListenIT {

    private static final TestStack stack = TestStack.shared();
    private static final WebTestClient api = stack.client();
    private static final WebTestClient other = stack.anonymous().mutate()
            .defaultHeader("X-API-Key", TestStack.OTHER_TENANT_KEY).build();
    private static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");
    private static final MediaType BATCH = MediaType.parseMediaType("application/cloudevents-batch+json");
    /** The tenant of {@link TestStack#KEY}, as the README gives it. */
    private static final String TENANT = "default";
    /** The event log, as the worker's and the ingress's configuration name it. */
    private static final String EVENT_LOG = "runstream.events";
    private static final String PAYMENTS = "https://payments.example";
    private static final String SENSORS = "https://sensors.example";

    /** A workflow that waits for its order's payment, correlated by the order id its input carries. */
    private static String paidListen(String name, String type) {
        return """
                document: {dsl: '1.0.0', namespace: e2e, name: %s, version: '1.0.0'}
                do:
                  - paid:
                      listen:
                        to:
                          one:
                            with: {type: %s, source: %s}
                            correlate:
                              orderId: {from: .data.orderId, expect: '${ .orderId }'}
                """.formatted(name, type, PAYMENTS);
    }

    @Test
    void shouldCompleteOnlyTheExecutionWhoseOrderAStructuredEventCorrelates() {
        String type = unique("order.paid");
        define(api, "listen-paid", paidListen("listen-paid", type));
        String order = "o-" + UUID.randomUUID();
        String answered = start(api, "listen-paid", "{\"orderId\":\"" + order + "\"}");
        String waiting = start(api, "listen-paid", "{\"orderId\":\"x-" + UUID.randomUUID() + "\"}");
        awaitStatus(api, answered, "RUNNING");
        awaitStatus(api, waiting, "RUNNING");

        api.post().uri("/v1/events").contentType(STRUCTURED)
                .bodyValue(event("p-1", PAYMENTS, type, "{\"orderId\":\"" + order + "\",\"amount\":12}"))
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted[0].id").isEqualTo("p-1")
                .jsonPath("$.accepted[0].source").isEqualTo(PAYMENTS);

        Map<?, ?> done = awaitStatus(api, answered, "SUCCEEDED");
        assertThat(done.get("output")).as("the array of consumed events, each read as its data")
                .isEqualTo(List.of(Map.of("orderId", order, "amount", 12)));
        stillListening(api, waiting);
        api.get().uri("/v1/executions/{id}", waiting).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.phase").isEqualTo("WAITING");
    }

    @Test
    void shouldTakeAnEventAPlainProducerWritesInTheCloudEventsKafkaBinding() throws Exception {
        String type = unique("order.paid");
        define(api, "listen-kafka", paidListen("listen-kafka", type));
        String order = "k-" + UUID.randomUUID();
        String answered = start(api, "listen-kafka", "{\"orderId\":\"" + order + "\"}");
        String waiting = start(api, "listen-kafka", "{\"orderId\":\"x-" + UUID.randomUUID() + "\"}");
        awaitStatus(api, answered, "RUNNING");
        awaitStatus(api, waiting, "RUNNING");

        CloudEvent paid = CloudEventBuilder.v1().withId("kafka-1").withSource(URI.create(PAYMENTS))
                .withType(type).withExtension("runstreamtenant", TENANT)
                .withDataContentType("application/json")
                .withData(("{\"orderId\":\"" + order + "\",\"amount\":7}").getBytes(StandardCharsets.UTF_8))
                .build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                stack.infra.kafkaBootstrapServers(), "acks", "all"), new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = KafkaMessageFactory
                    .<String>createWriter(EVENT_LOG, null, null, TENANT + "/" + PAYMENTS).writeBinary(paid);
            assertThat(record.headers().lastHeader("ce_runstreamtenant")).as("binary mode").isNotNull();
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        Map<?, ?> done = awaitStatus(api, answered, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("orderId", order, "amount", 7)));
        stillListening(api, waiting);
    }

    @Test
    void shouldGiveAListenTheCallbackThatCameBeforeItOpened() {
        String type = unique("order.paid");
        define(api, "listen-early", paidListen("listen-early", type));
        String order = "e-" + UUID.randomUUID();
        api.post().uri("/v1/events").contentType(STRUCTURED)
                .bodyValue(event("early-1", PAYMENTS, type, "{\"orderId\":\"" + order + "\",\"amount\":3}"))
                .exchange().expectStatus().isAccepted();

        String id = start(api, "listen-early", "{\"orderId\":\"" + order + "\"}");

        Map<?, ?> done = awaitStatus(api, id, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("orderId", order, "amount", 3)));
    }

    @Test
    void shouldFilterOnASourceAsEventsGiveIt() {
        String type = unique("order.paid");
        define(api, "listen-relative", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-relative, version: '1.0.0'}
                do:
                  - paid:
                      listen:
                        to:
                          one:
                            with: {type: %s, source: '${ . == "/payments" }'}
                """.formatted(type));
        String id = start(api, "listen-relative", "{}");
        awaitStatus(api, id, "RUNNING");

        // a source is a URI reference, and the README's own events name /payments; the DSL schema takes only an
        // absolute URI or an expression in a filter, so a relative one is matched by an expression
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("r-0", "/refunds", type, "{\"n\":0}"))
                .exchange().expectStatus().isAccepted();
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(event("r-1", "/payments", type, "{\"n\":1}"))
                .exchange().expectStatus().isAccepted();

        Map<?, ?> done = awaitStatus(api, id, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("n", 1)));
    }

    @Test
    void shouldConsumeOneEventOfEachTypeForTheRoomTheFirstOneNames() {
        String temperature = unique("sensors.temperature");
        String humidity = unique("sensors.humidity");
        define(api, "listen-all", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-all, version: '1.0.0'}
                do:
                  - reading:
                      listen:
                        read: envelope
                        to:
                          all:
                            - with: {source: %s, type: %s}
                              correlate:
                                roomId: {from: .roomid}
                            - with: {source: %s, type: %s}
                              correlate:
                                roomId: {from: .roomid}
                      output:
                        as: '${ map({id, room: .roomid, reading: .data.reading}) }'
                """.formatted(SENSORS, temperature, SENSORS, humidity));
        String id = start(api, "listen-all", "{}");
        awaitStatus(api, id, "RUNNING");

        // binary mode: the attributes in ce- headers, the data as the body
        api.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "t1").header("ce-source", SENSORS)
                .header("ce-type", temperature).header("ce-roomid", "kitchen")
                .bodyValue("{\"reading\":21}").exchange().expectStatus().isAccepted();
        stillListening(api, id);
        // batch mode: another room's humidity first, which the kitchen's listen does not take
        api.post().uri("/v1/events").contentType(BATCH).bodyValue("["
                        + "{\"specversion\":\"1.0\",\"id\":\"h1\",\"source\":\"" + SENSORS + "\",\"type\":\"" + humidity
                        + "\",\"roomid\":\"attic\",\"data\":{\"reading\":80}},"
                        + "{\"specversion\":\"1.0\",\"id\":\"h2\",\"source\":\"" + SENSORS + "\",\"type\":\"" + humidity
                        + "\",\"roomid\":\"kitchen\",\"data\":{\"reading\":40}}]")
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted[*].id").isEqualTo(List.of("h1", "h2"));

        Map<?, ?> done = awaitStatus(api, id, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("id", "t1", "room", "kitchen", "reading", 21),
                Map.of("id", "h2", "room", "kitchen", "reading", 40)));
    }

    @Test
    void shouldConsumeMatchingEventsOnceEachUntilTheConditionHolds() {
        String type = unique("meter.reading");
        define(api, "listen-any", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-any, version: '1.0.0'}
                do:
                  - high:
                      listen:
                        to:
                          any:
                            - with: {type: %s, data: '${ .value > 10 }'}
                          until: '${ length >= 2 }'
                """.formatted(type));
        String id = start(api, "listen-any", "{}");
        awaitStatus(api, id, "RUNNING");

        api.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON)
                .header("ce-specversion", "1.0").header("ce-id", "r1").header("ce-source", "/meter")
                .header("ce-type", type).bodyValue("{\"value\":20}").exchange().expectStatus().isAccepted();
        stillListening(api, id);
        // r1 again is a duplicate (same source and id); 5 meets no filter; 30 makes two; 40 comes after the end
        api.post().uri("/v1/events").contentType(BATCH).bodyValue("["
                        + event("r1", "/meter", type, "{\"value\":20}") + ","
                        + event("r2", "/meter", type, "{\"value\":5}") + ","
                        + event("r3", "/meter", type, "{\"value\":30}") + ","
                        + event("r4", "/meter", type, "{\"value\":40}") + "]")
                .exchange().expectStatus().isAccepted();

        Map<?, ?> done = awaitStatus(api, id, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("value", 20), Map.of("value", 30)));
    }

    @Test
    void shouldCompleteTheListenOfTheOneExecutionASignalNames() {
        String type = unique("approval.granted");
        define(api, "listen-signal", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-signal, version: '1.0.0'}
                do:
                  - approval:
                      listen:
                        to:
                          one:
                            with: {type: %s}
                """.formatted(type));
        String signalled = start(api, "listen-signal", "{}");
        String waiting = start(api, "listen-signal", "{}");
        awaitStatus(api, signalled, "RUNNING");
        awaitStatus(api, waiting, "RUNNING");

        api.post().uri("/v1/executions/{id}/signals", signalled).contentType(STRUCTURED)
                .bodyValue(event("approval-1", "/approvals", type, "{\"approved\":true}"))
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.executionId").isEqualTo(signalled)
                .jsonPath("$.eventId").isEqualTo("approval-1");

        Map<?, ?> done = awaitStatus(api, signalled, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("approved", true)));
        stillListening(api, waiting);
    }

    @Test
    void shouldHoldASignalSentBeforeTheListenOpensAndGiveItToTheListen() {
        String type = unique("callback.done");
        define(api, "listen-held", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-held, version: '1.0.0'}
                do:
                  - first:
                      wait: PT5S
                  - hear:
                      listen:
                        to:
                          one:
                            with: {type: %s}
                """.formatted(type));
        String id = start(api, "listen-held", "{}");
        awaitStatus(api, id, "RUNNING");

        api.post().uri("/v1/executions/{id}/signals", id).contentType(STRUCTURED)
                .bodyValue(event("cb-1", "/callbacks", type, "{\"ok\":true}")).exchange().expectStatus().isAccepted();
        Instant signalAccepted = Instant.now();

        Map<?, ?> done = awaitStatus(api, id, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("ok", true)));
        api.get().uri("/v1/executions/{id}/history", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.taskName == 'hear')].startedAt").value(started -> assertThat(
                        Instant.parse(((List<String>) started).get(0)))
                        .as("the listen opened after the signal was on the log").isAfter(signalAccepted));
    }

    @Test
    void shouldNeverGiveOneTenantsEventToAnotherTenantsListen() {
        String type = unique("order.paid");
        define(api, "listen-tenant", paidListen("listen-tenant", type));
        define(other, "listen-tenant", paidListen("listen-tenant", type));
        String order = "t-" + UUID.randomUUID();
        String ours = start(api, "listen-tenant", "{\"orderId\":\"" + order + "\"}");
        String theirs = start(other, "listen-tenant", "{\"orderId\":\"" + order + "\"}");
        awaitStatus(api, ours, "RUNNING");
        awaitStatus(other, theirs, "RUNNING");
        String paid = event("same-1", PAYMENTS, type, "{\"orderId\":\"" + order + "\"}");

        other.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(paid).exchange().expectStatus().isAccepted();

        awaitStatus(other, theirs, "SUCCEEDED");
        stillListening(api, ours);
        // the same source and id under our key is our event, not a duplicate of theirs
        api.post().uri("/v1/events").contentType(STRUCTURED).bodyValue(paid).exchange().expectStatus().isAccepted();
        Map<?, ?> done = awaitStatus(api, ours, "SUCCEEDED");
        assertThat(done.get("output")).isEqualTo(List.of(Map.of("orderId", order)));
    }

    @Test
    void shouldTimeOutAListenNothingAnswers() {
        define(api, "listen-timeout", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-timeout, version: '1.0.0'}
                do:
                  - hear:
                      listen:
                        to:
                          one:
                            with: {type: %s}
                      timeout:
                        after: PT1S
                """.formatted(unique("never.sent")));

        Map<?, ?> view = awaitStatus(api, start(api, "listen-timeout", "{}"), "TIMED_OUT");
        assertThat((Map<String, Object>) view.get("error")).containsEntry("code", "WORKFLOW_TIMEOUT");
    }

    @Test
    void shouldCatchTheTimeoutOfAListenNothingAnswers() {
        define(api, "listen-caught", """
                document: {dsl: '1.0.0', namespace: e2e, name: listen-caught, version: '1.0.0'}
                do:
                  - guarded:
                      try:
                        - hear:
                            listen:
                              to:
                                one:
                                  with: {type: %s}
                            timeout:
                              after: PT1S
                      catch:
                        errors:
                          with: {type: https://serverlessworkflow.io/spec/1.0.0/errors/timeout}
                        do:
                          - note:
                              set: {caught: '${ $error.type }', status: '${ $error.status }'}
                """.formatted(unique("never.sent")));

        Map<?, ?> view = awaitStatus(api, start(api, "listen-caught", "{}"), "SUCCEEDED");
        assertThat(view.get("output")).isEqualTo(Map.of("caught",
                "https://serverlessworkflow.io/spec/1.0.0/errors/timeout", "status", 408));
    }

    @Test
    void shouldCancelAListeningExecutionWhenStopped() {
        String type = unique("order.paid");
        define(api, "listen-stop", paidListen("listen-stop", type));
        String order = "s-" + UUID.randomUUID();
        String id = start(api, "listen-stop", "{\"orderId\":\"" + order + "\"}");
        awaitStatus(api, id, "RUNNING");

        api.post().uri("/v1/executions/{id}/stop?waitSeconds=10", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\":\"no longer needed\"}").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("ACCEPTED");

        Map<?, ?> view = awaitStatus(api, id, "CANCELLED");
        assertThat((Map<String, Object>) view.get("error")).containsEntry("message", "no longer needed");
    }

    @Test
    void shouldRefuseACorrelationWithoutFromNamingWhereItIs() {
        api.put().uri("/v1/workflows/{id}", "listen-no-from").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: e2e, name: listen-no-from, version: '1.0.0'}
                        do:
                          - paid:
                              listen:
                                to:
                                  one:
                                    with: {type: order.paid}
                                    correlate:
                                      orderId: {expect: '${ .orderId }'}
                        """)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/do/0/paid/listen/to/one/correlate/orderId"));
        api.get().uri("/v1/workflows/{id}", "listen-no-from").exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldRefuseAnInvalidRegularExpressionNamingWhereItIs() {
        api.put().uri("/v1/workflows/{id}", "listen-bad-regex")
                .contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: e2e, name: listen-bad-regex, version: '1.0.0'}
                        do:
                          - paid:
                              listen:
                                to:
                                  any:
                                    - with: {type: order.paid}
                                    - with: {type: '^order\\.(paid$'}
                        """)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/do/0/paid/listen/to/any/1/with/type"));
        api.get().uri("/v1/workflows/{id}", "listen-bad-regex").exchange().expectStatus().isNotFound();
    }

    /** An event type no other test sends: the test's own name for it. */
    private static String unique(String type) {
        return "e2e." + type + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A structured event whose data is the given JSON. */
    private static String event(String id, String source, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static void define(WebTestClient client, String workflowId, String yaml) {
        client.put().uri("/v1/workflows/{id}", workflowId).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().is2xxSuccessful();
    }

    private static String start(WebTestClient client, String workflowId, String input) {
        Map<?, ?> created = client.post().uri("/v1/workflows/{id}/executions", workflowId)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":" + input + "}").exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }

    private static Map<?, ?> awaitStatus(WebTestClient client, String id, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo(status));
        return client.get().uri("/v1/executions/{id}", id).exchange().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    /** It goes on listening: RUNNING, and it stays so. */
    private static void stillListening(WebTestClient client, String id) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get()
                .uri("/v1/executions/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("RUNNING"));
    }
}
