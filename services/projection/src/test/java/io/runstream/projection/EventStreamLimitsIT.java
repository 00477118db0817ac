package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * Event streams are counted per API key: the 21st stream of one key is refused with 429 and Retry-After while another
 * key still gets one, and a stream the client leaves is given back at once.
 */
class EventStreamLimitsIT extends ProjectionTestBase {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
            new ParameterizedTypeReference<>() { };

    @Autowired
    MeterRegistry meters;

    private double openStreams(String keyName) {
        Gauge gauge = meters.find("runstream.projection.streams").tag("key", keyName).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private String runningExecution(String tenant, WebTestClient client) throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.QUEUED, 1)).setTenant(tenant).build(),
                ExecutionStatusChanged.newBuilder(event(id, ExecutionStatus.RUNNING, 2)).setTenant(tenant).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("RUNNING"));
        return id;
    }

    private static Disposable stream(WebTestClient client, String id, List<String> seen) {
        return client.get().uri("/v1/executions/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(SSE).getResponseBody()
                .subscribe(event -> seen.add(event.event() + ":" + event.data().get("status")));
    }

    @Test
    void shouldRefuseTheTwentyFirstStreamOfAKeyWhileAnotherKeyStillGetsOne() throws Exception {
        WebTestClient other = anonymous.mutate().defaultHeader("X-API-Key", "rs_dev_other_key").build();
        String mine = runningExecution("default", web);
        String theirs = runningExecution("other", other);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(openStreams("dev-default")).isZero());

        List<Disposable> streams = new ArrayList<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                streams.add(stream(web, mine, seen));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).hasSize(20)
                    .containsOnly("status:RUNNING"));
            assertThat(openStreams("dev-default")).isEqualTo(20);

            web.get().uri("/v1/executions/{id}/events", mine).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("Retry-After", "5")
                    .expectBody().jsonPath("$.code").isEqualTo("TOO_MANY_STREAMS")
                    .jsonPath("$.title").isEqualTo("Too Many Requests")
                    .jsonPath("$.message").value(m -> assertThat((String) m)
                            .contains("already has 20 event streams open").doesNotContain("Exception"));

            List<String> theirSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
            streams.add(stream(other, theirs, theirSeen));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(theirSeen).containsExactly("status:RUNNING"));
        } finally {
            streams.forEach(Disposable::dispose);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(openStreams("dev-default")).isZero();
            assertThat(openStreams("dev-other")).isZero();
        });
        List<String> again = new java.util.concurrent.CopyOnWriteArrayList<>();
        Disposable one = stream(web, mine, again);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(again).containsExactly("status:RUNNING"));
        } finally {
            one.dispose();
        }
    }
}
