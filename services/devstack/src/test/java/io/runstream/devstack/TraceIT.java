package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.HttpStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * One execution is one trace: the {@code traceparent} of the start request travels in Kafka record headers through
 * the worker to the workflow's HTTP call and to the projection, and every service exports its spans of that trace
 * to the OTLP collector the stack is configured with.
 */
class TraceIT {

    private static final TestStack stack = TestStack.shared();
    private static final HttpStub callee = new HttpStub();
    private static final List<String> TOPICS = List.of("runstream.executions.status", "runstream.executions.tasks",
            "runstream.worker.activities");

    @AfterAll
    static void stopCallee() {
        callee.close();
    }

    /** Defines a workflow that makes one call to the callee, starts it, and returns (execution id, call path). */
    private static String[] startCalling(String traceparent) {
        String workflow = "traced-" + UUID.randomUUID();
        String path = "/ok/" + workflow;
        stack.client().put().uri("/v1/workflows/{id}", workflow).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("""
                        document: {dsl: '1.0.0', namespace: examples, name: traced, version: '0.1.0'}
                        do:
                          - fetch:
                              call: http
                              with:
                                method: get
                                endpoint: %s%s
                        """.formatted(callee.baseUrl(), path))
                .exchange().expectStatus().isCreated();
        var request = stack.client().post().uri("/v1/workflows/{id}/executions", workflow)
                .header("Idempotency-Key", UUID.randomUUID().toString());
        if (traceparent != null) {
            request = request.header("traceparent", traceparent);
        }
        Map<?, ?> created = request.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputData\":{}}")
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String id = (String) created.get("executionId");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> stack.client().get()
                .uri("/v1/executions/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED"));
        return new String[] {id, path};
    }

    /** The traceparent header of each record about the execution, by topic, once each topic has its records. */
    private static Map<String, List<String>> traceparentsOnTheLog(String executionId) {
        Map<String, List<String>> byTopic = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                stack.infra.kafkaBootstrapServers(), "group.id", "trace-" + UUID.randomUUID(), "auto.offset.reset",
                "earliest", "isolation.level", "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(TOPICS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (executionId.equals(record.key())) {
                        Header header = record.headers().lastHeader("traceparent");
                        byTopic.computeIfAbsent(record.topic(), t -> new ArrayList<>())
                                .add(header == null ? null : new String(header.value(), StandardCharsets.UTF_8));
                    }
                }
                // QUEUED, RUNNING, SUCCEEDED; one task step; one dispatch
                assertThat(byTopic.getOrDefault(TOPICS.get(0), List.of())).hasSize(3);
                assertThat(byTopic.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS);
            });
        }
        return byTopic;
    }

    private static String traceId(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        return traceparent.substring(3, 35);
    }

    @Test
    void shouldCarryTheStartRequestsTraceThroughTheLogToTheCallAndTheProjection() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String clientSpan = "00f067aa0ba902b7";
        String[] started = startCalling("00-" + traceId + "-" + clientSpan + "-01");

        Map<String, List<String>> onTheLog = traceparentsOnTheLog(started[0]);
        onTheLog.forEach((topic, traceparents) -> traceparents.forEach(traceparent -> assertThat(traceId(traceparent))
                .as("trace of a record on %s", topic).isEqualTo(traceId)));

        List<HttpStub.Received> calls = callee.received(started[1]);
        assertThat(calls).hasSize(1);
        String sent = calls.get(0).headers().get("traceparent");
        assertThat(traceId(sent)).as("trace of the workflow's call").isEqualTo(traceId);
        assertThat(sent).as("the call is its own span, sampled as the client asked").doesNotContain(clientSpan)
                .endsWith("-01");

        // each service exported spans of this trace: the ingress (request, send), the worker's runner (the call),
        // the projection (the records it applied)
        byte[] traceBytes = HexFormat.of().parseHex(traceId);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> services = new TreeSet<>();
            for (HttpStub.Received export : stack.collector.received("/v1/traces")) {
                if (contains(export.body(), traceBytes)) {
                    for (String service : List.of("runstream-ingress", "runstream-worker", "runstream-projection")) {
                        if (contains(export.body(), service.getBytes(StandardCharsets.UTF_8))) {
                            services.add(service);
                        }
                    }
                }
            }
            assertThat(services).containsExactly("runstream-ingress", "runstream-projection", "runstream-worker");
        });
        System.out.printf("traces: 1 execution, %d records on the log and 1 call in trace %s, spans exported by %s%n",
                onTheLog.values().stream().mapToInt(List::size).sum(), traceId,
                "runstream-ingress, runstream-worker, runstream-projection");
    }

    @Test
    void shouldStartATraceForARequestWithoutOneAndKeepTheExecutionInIt() {
        String[] started = startCalling(null);
        Map<String, List<String>> onTheLog = traceparentsOnTheLog(started[0]);
        Set<String> traces = new TreeSet<>();
        onTheLog.values().forEach(traceparents -> traceparents.forEach(t -> traces.add(traceId(t))));
        assertThat(traces).as("every record about the execution is in one trace").hasSize(1);
        String sent = callee.received(started[1]).get(0).headers().get("traceparent");
        assertThat(traceId(sent)).isEqualTo(traces.iterator().next());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
