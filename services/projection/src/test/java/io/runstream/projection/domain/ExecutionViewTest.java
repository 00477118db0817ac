package io.runstream.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionViewTest {

    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

    private StatusChange change(ExecutionStatus status) {
        return new StatusChange(UUID.randomUUID(), "t", "demo", status, 1, 1, t0.plusMillis(250), t0, null, null,
                null, Map.of(), null, 0, 0, java.util.List.of(), null);
    }

    @Test
    void shouldFinishOnlyOnTerminalChanges() {
        assertThat(change(ExecutionStatus.RUNNING).finishedAt()).isNull();
        assertThat(change(ExecutionStatus.QUEUED).finishedAt()).isNull();
        assertThat(change(ExecutionStatus.FAILED).finishedAt()).isEqualTo(t0.plusMillis(250));
        assertThat(change(ExecutionStatus.SUCCEEDED).finishedAt()).isEqualTo(t0.plusMillis(250));
    }

    @Test
    void shouldMeasureDurationOnceFinished() {
        var running = new ExecutionView(UUID.randomUUID(), "t", "demo", ExecutionStatus.RUNNING, 2, 1, "{}", null,
                null, t0, null, java.util.Map.of(), null, 0, java.util.List.of(), null);
        var done = new ExecutionView(UUID.randomUUID(), "t", "demo", ExecutionStatus.SUCCEEDED, 3, 1, "{}", "{}",
                null, t0, t0.plusMillis(1500), java.util.Map.of(), null, 0, java.util.List.of(), null);

        assertThat(running.duration()).isNull();
        assertThat(done.duration()).isEqualTo(Duration.ofMillis(1500));
    }
}
