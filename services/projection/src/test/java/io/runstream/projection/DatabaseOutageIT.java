package io.runstream.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionStatus;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PostgreSQL frozen (SIGSTOP of the server and its backends) under the projection: reads answer 503
 * DATABASE_UNAVAILABLE in each dialect within the database timeouts instead of hanging, readiness and the consumers'
 * health say DOWN, and once it thaws, everything recovers by itself and the events sent meanwhile are in the view.
 */
class DatabaseOutageIT extends ProjectionTestBase {

    @Test
    void shouldAnswer503AndReportDownWhileTheDatabaseIsFrozenThenRecoverWithNothingLost() throws Exception {
        String id = UUID.randomUUID().toString();
        send(id, event(id, ExecutionStatus.QUEUED, 1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk());
        // long enough for the bounded database calls, far shorter than the freeze: a hanging request fails here
        WebTestClient patient = web.mutate().responseTimeout(Duration.ofSeconds(15)).build();

        try (var frozen = infra.freezePostgres()) {
            patient.get().uri("/v1/executions/{id}", id).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.code").isEqualTo("DATABASE_UNAVAILABLE")
                    .jsonPath("$.message").value(m -> assertThat((String) m).doesNotContain("Exception"));
            patient.get().uri("/v1/executions?limit=5").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("DATABASE_UNAVAILABLE");
            patient.get().uri("/workflows/v1/execution/{id}", id).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo(14)
                    .jsonPath("$.details[0].errorCode").isEqualTo("DATABASE_UNAVAILABLE");
            patient.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.db.status").isEqualTo("DOWN");

            // applied while frozen it cannot be: the listener retries it, and says it is stuck
            send(id, event(id, ExecutionStatus.SUCCEEDED, 2));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    patient.get().uri("/actuator/health/consumers").exchange().expectStatus().isEqualTo(503));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                web.get().uri("/v1/executions/{id}", id).exchange().expectStatus().isOk()
                        .expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            web.get().uri("/actuator/health/consumers").exchange().expectStatus().isOk();
        });
    }
}
