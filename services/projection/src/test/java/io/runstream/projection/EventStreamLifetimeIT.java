package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;

/**
 * An event stream ends cleanly at its lifetime with {@code event: reconnect}, and a client that reconnects with
 * {@code Last-Event-ID} gets only the states after that sequence. A context of its own, with a short lifetime (its
 * own consumer group and dead-letter topics, so it reads everything and disturbs no other test).
 */
@TestPropertySource(properties = {"runstream.projection.watch.max-stream-lifetime=3s",
        "spring.kafka.consumer.group-id=runstream-projection-stream-lifetime-it",
        "runstream.projection.dead-letter-topic=runstream.executions.status.dlt.stream-lifetime-it",
        "runstream.projection.tasks-dead-letter-topic=runstream.executions.tasks.dlt.stream-lifetime-it"})
class EventStreamLifetimeIT extends ProjectionTestBase {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
            new ParameterizedTypeReference<>() { };

    /** Each event as {@code event:id:status}, until the stream ends. */
    private List<String> events(String id, String lastEventId) {
        var request = web.mutate().responseTimeout(Duration.ofSeconds(30)).build().get()
                .uri("/v1/executions/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .map(e -> e.event() + ":" + e.id() + ":" + (e.data() == null ? "" : e.data().get("status"))
                        + (e.comment() == null ? "" : ":" + e.comment()))
                .collectList().block(Duration.ofSeconds(30));
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo(status));
    }

    @Test
    void shouldEndAStreamAtItsLifetimeAndResumeAfterTheLastEventIdOnReconnect() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1), event(id, ExecutionStatus.RUNNING, 2));
        awaitStatus(id, "RUNNING");

        assertThat(events(id, null)).as("the current state, then the end of the lifetime").containsExactly(
                "status:2:RUNNING", "reconnect:2::this stream reached its maximum lifetime of 3 s; reconnect with "
                        + "Last-Event-ID to go on after the last state it sent");

        assertThat(events(id, "2")).as("nothing new: no state repeated, only the end of the lifetime")
                .containsExactly("reconnect:2::this stream reached its maximum lifetime of 3 s; reconnect with "
                        + "Last-Event-ID to go on after the last state it sent");

        send(id, event(id, ExecutionStatus.SUCCEEDED, 3));
        awaitStatus(id, "SUCCEEDED");
        assertThat(events(id, "2")).as("only what came after sequence 2, and the stream ends at the terminal state")
                .containsExactly("status:3:SUCCEEDED");
        assertThat(events(id, "3")).as("the terminal state was seen already").isEmpty();
        assertThat(events(id, null)).as("without Last-Event-ID, the current state").containsExactly(
                "status:3:SUCCEEDED");
    }
}
