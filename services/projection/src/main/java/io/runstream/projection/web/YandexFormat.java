package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * How executions look in the Yandex Workflows dialect. Statuses: QUEUED as it is, RUNNING is PAUSED while
 * suspended and RUNNING otherwise, SUCCEEDED is FINISHED, FAILED and TIMED_OUT are FAILED (the error code tells them
 * apart), CANCELLED is STOPPED. A redriven execution is RUNNING (or PAUSED) again, with no duration or error until it
 * finishes anew.
 * Timestamps are RFC 3339, durations protobuf-style seconds ("1.623s"), input and result JSON text.
 */
final class YandexFormat {

    /** Yandex carries input and result as JSON text; the view's text is re-written compactly. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private YandexFormat() {
    }

    private static String compact(String jsonText) {
        return JSON.writeValueAsString(JsonData.parse(jsonText, JSON));
    }

    /** Yandex's status of an execution: PAUSED while it is suspended. */
    static String status(ExecutionView v) {
        return v.status() == ExecutionStatus.RUNNING && "SUSPENDED".equals(v.phase()) ? "PAUSED" : status(v.status());
    }

    static String status(ExecutionStatus status) {
        return switch (status) {
            case QUEUED -> "QUEUED";
            case RUNNING -> "RUNNING";
            case SUCCEEDED -> "FINISHED";
            case FAILED, TIMED_OUT -> "FAILED";
            case CANCELLED -> "STOPPED";
        };
    }

    /** The Runstream statuses behind a Yandex status name (none for PAUSED). */
    static List<ExecutionStatus> statuses(String yandex) {
        return switch (yandex.toUpperCase(Locale.ROOT)) {
            case "QUEUED" -> List.of(ExecutionStatus.QUEUED);
            case "RUNNING" -> List.of(ExecutionStatus.RUNNING);
            case "FINISHED" -> List.of(ExecutionStatus.SUCCEEDED);
            case "FAILED" -> List.of(ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT);
            case "STOPPED" -> List.of(ExecutionStatus.CANCELLED);
            case "PAUSED" -> List.of();
            default -> throw new IllegalArgumentException("status must be one of QUEUED, RUNNING, PAUSED, STOPPED, "
                    + "FAILED, FINISHED");
        };
    }

    static Map<String, Object> preview(ExecutionView v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", v.executionId().toString());
        out.put("workflowId", v.workflowId());
        out.put("status", status(v));
        out.put("startedAt", v.startedAt().toString());
        if (v.duration() != null) {
            out.put("duration", duration(v.duration()));
        }
        return out;
    }

    static Map<String, Object> execution(ExecutionView v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", v.executionId().toString());
        out.put("workflowId", v.workflowId());
        if (v.inputJson() != null) {
            out.put("input", Map.of("inputJson", compact(v.inputJson())));
        }
        if (v.outputJson() != null) {
            out.put("result", Map.of("resultJson", compact(v.outputJson())));
        }
        if (v.error() != null) {
            out.put("error", Map.of("message", v.error().message(), "errorCode", v.error().code()));
        }
        out.put("status", status(v));
        out.put("startedAt", v.startedAt().toString());
        if (v.duration() != null) {
            out.put("duration", duration(v.duration()));
        }
        return out;
    }

    /**
     * A task step as a Yandex HistoryEntry; {@code attempts} is a string, as in the Yandex API. The id of a step
     * that ran in a redrive ends in {@code #} and the redrive, so a failed step's rerun has an id of its own.
     */
    static Map<String, Object> step(HistoryEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.position() + "@" + e.attempt() + "/" + e.startedAt()
                + (e.redriveCount() > 0 ? "#" + e.redriveCount() : ""));
        out.put("title", e.taskName());
        out.put("description", e.taskType() + " task at " + e.position());
        out.put("startedAt", e.startedAt().toString());
        out.put("duration", duration(Duration.between(e.startedAt(), e.endedAt())));
        if (e.error() != null) {
            Map<String, String> error = Map.of("message", e.error().message(), "errorCode", e.error().code());
            out.put("error", error);
            if (e.taskAttempts() != null && e.taskAttempts() > 1) {
                out.put("lastError", error);
            }
        }
        out.put("status", switch (e.status()) {
            case "FAULTED" -> "FAILED";
            case "CANCELLED" -> "CANCELLED";
            default -> "COMPLETED";
        });
        out.put("type", "call".equals(e.taskType()) ? "HttpCall"
                : e.taskType().substring(0, 1).toUpperCase(Locale.ROOT) + e.taskType().substring(1));
        out.put("attempts", String.valueOf(e.taskAttempts() == null ? 1 : e.taskAttempts()));
        if (e.inputJson() != null) {
            out.put("input", Map.of("inputJson", e.inputJson()));
        }
        if (e.outputJson() != null) {
            out.put("output", Map.of("outputJson", e.outputJson()));
        }
        return out;
    }

    static String duration(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
