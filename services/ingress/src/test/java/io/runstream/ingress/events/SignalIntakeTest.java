package io.runstream.ingress.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The signal intake alone, with no broker: what it puts on the log, and what it refuses before writing anything. */
class SignalIntakeTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final UUID EXECUTION = UUID.fromString("742b1647-2c15-3a33-9176-b6f5e69baaf6");

    /** Keeps what it is given; its records are as large as their event JSON. */
    private static final class Kept implements SignalLog {
        final List<Signal> signals = new ArrayList<>();
        CompletionStage<Void> answer = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> append(Signal signal) {
            signals.add(signal);
            return answer;
        }

        @Override
        public long recordSize(Signal signal) {
            return signal.eventJson().length();
        }

        @Override
        public long recordSizeBound(Signal signal) {
            return signal.eventJson().length() + 500;
        }
    }

    private final Kept log = new Kept();
    private final SignalIntake intake = new SignalIntake(log, Clock.fixed(NOW, ZoneOffset.UTC), 1000);

    private static CloudEventBuilder event() {
        return CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/approvals")).withType("approved");
    }

    @Test
    void shouldStampTheSendersTenantOverTheClaimAndKeepTheEventAsJson() {
        CloudEvent claimed = event().withExtension("runstreamtenant", "other")
                .withData("application/json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)).build();

        SignalIntake.Accepted accepted = intake.accept("default", EXECUTION, claimed).toCompletableFuture().join();

        assertThat(accepted).isEqualTo(new SignalIntake.Accepted(EXECUTION, "e-1", "/approvals"));
        Signal signal = log.signals.get(0);
        assertThat(signal.executionId()).isEqualTo(EXECUTION);
        assertThat(signal.tenant()).isEqualTo("default");
        assertThat(signal.requestedAt()).isEqualTo(NOW);
        assertThat(signal.eventJson()).contains("\"runstreamtenant\":\"default\"").doesNotContain("other")
                .contains("\"data\":{\"ok\":true}");
    }

    @Test
    void shouldRefuseDataThatClaimsToBeJsonAndIsNotAndWriteNothing() {
        CloudEvent lying = event().withData("application/json", "not json".getBytes(StandardCharsets.UTF_8)).build();

        assertThatThrownBy(() -> intake.accept("default", EXECUTION, lying))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'datacontenttype' is application/json");
        assertThat(log.signals).isEmpty();
    }

    @Test
    void shouldRefuseASignalOverTheRecordLimitAndWriteNothing() {
        CloudEvent big = event().withData("text/plain", "x".repeat(800).getBytes(StandardCharsets.UTF_8)).build();

        assertThatThrownBy(() -> intake.accept("default", EXECUTION, big))
                .isInstanceOf(EventTooLargeException.class)
                .hasMessageContaining("max-record-size");
        assertThat(log.signals).isEmpty();
    }

    @Test
    void shouldFailWhenTheLogDoesNotTakeTheSignal() {
        log.answer = CompletableFuture.failedFuture(new SignalNotPublishedException(
                new Signal(EXECUTION, "default", "{}", NOW), new IllegalStateException("broker away")));

        assertThatThrownBy(() -> intake.accept("default", EXECUTION, event().build()).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SignalNotPublishedException.class);
    }
}
