package io.runstream.projection.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One task of an execution's run that ended, as history records it, with the redrive it ran in (0 before any) and
 * where it stands among everything its execution published (0 from workers that did not number it), the events it
 * consumed or emitted (none for most tasks), and the subflow it started (a {@code run: workflow}; null for others).
 */
public record TaskStep(UUID executionId, String tenant, int attempt, long step, String name, String position,
        String type,
        String status, int taskAttempts, Instant startedAt, Instant endedAt, ExecutionError error, String inputJson,
        String outputJson, boolean dataTruncated, int redriveCount, long ordinal, List<TaskEvent> events,
        UUID childExecutionId) {

    public TaskStep {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The same step without its input, output and error message, for when the database refuses them. */
    public TaskStep withoutData() {
        ExecutionError bare = error == null ? null : new ExecutionError(error.code(), StatusChange.DATA_DROPPED);
        return new TaskStep(executionId, tenant, attempt, step, name, position, type, status, taskAttempts, startedAt,
                endedAt, bare, null, null, false, redriveCount, ordinal, events, childExecutionId);
    }
}
