package io.runstream.projection.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class ConsumerHealthTest {

    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private final ConsumerHealth health = new ConsumerHealth(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, Duration.ofSeconds(30));

    @Test
    void shouldBeUpWhileEveryListenerMovesOn() {
        health.applied("status");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldStayUpWhileFailuresAreShorterThanTheLimit() {
        health.failed("status", new IllegalStateException("connection refused"));
        now = now.plusSeconds(29);
        health.failed("status", new IllegalStateException("connection refused"));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldBeDownWhenAListenerKeepsFailingAndUpAgainOnceItApplies() {
        health.failed("status", new RuntimeException("outer", new IllegalStateException("connection refused")));
        now = now.plusSeconds(31);
        health.failed("status", new IllegalStateException("still refused"));

        var down = health.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsKey("status");
        @SuppressWarnings("unchecked")
        var detail = (Map<String, Object>) down.getDetails().get("status");
        assertThat(detail).containsEntry("attempts", 2).containsEntry("failingForSeconds", 31L)
                .containsEntry("lastError", "still refused");

        health.applied("status");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).isEmpty();
    }
}
