package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class YandexFormatTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static ExecutionView view(ExecutionStatus status, String phase, Instant finishedAt, ExecutionError error,
            int redriveCount) {
        return new ExecutionView(UUID.randomUUID(), "t", "demo", status, 4, 1, "{\"x\": 1}", null, error, T0,
                finishedAt, Map.of(), phase, redriveCount, java.util.List.of(), null);
    }

    @Test
    void shouldShowAReopenedExecutionAsRunningWithoutDurationOrError() {
        Map<String, Object> reopened = YandexFormat.execution(view(ExecutionStatus.RUNNING, null, null, null, 1));

        assertThat(reopened).containsEntry("status", "RUNNING").doesNotContainKeys("duration", "error", "result");
        assertThat(YandexFormat.preview(view(ExecutionStatus.RUNNING, null, null, null, 1)))
                .containsEntry("status", "RUNNING").doesNotContainKey("duration");
    }

    @Test
    void shouldShowAReopenedExecutionThatIsSuspendedAsPaused() {
        assertThat(YandexFormat.execution(view(ExecutionStatus.RUNNING, "SUSPENDED", null, null, 1)))
                .containsEntry("status", "PAUSED");
    }

    @Test
    void shouldShowAFailureWithItsDurationAndError() {
        Map<String, Object> failed = YandexFormat.execution(view(ExecutionStatus.FAILED, null, T0.plusMillis(1500),
                new ExecutionError("WORKFLOW_ERROR", "boom"), 0));

        assertThat(failed).containsEntry("status", "FAILED").containsEntry("duration", "1.5s")
                .containsEntry("error", Map.of("message", "boom", "errorCode", "WORKFLOW_ERROR"));
    }

    @Test
    void shouldGiveTheRerunOfAFailedStepAnIdOfItsOwn() {
        HistoryEntry failed = step(0);
        HistoryEntry rerun = step(1);

        assertThat(YandexFormat.step(failed).get("id")).isEqualTo("/do/1/charge@1/2026-11-23T10:00:00Z");
        assertThat(YandexFormat.step(rerun).get("id")).isEqualTo("/do/1/charge@1/2026-11-23T10:00:00Z#1");
    }

    private static HistoryEntry step(int redriveCount) {
        return new HistoryEntry(HistoryEntry.Kind.TASK, T0.plusSeconds(1), "k", "COMPLETED", 1, null, "charge",
                "/do/1/charge", "call", 1, T0, T0.plusSeconds(1), null, null, null, false, redriveCount, 0, List.of(),
                null);
    }
}
