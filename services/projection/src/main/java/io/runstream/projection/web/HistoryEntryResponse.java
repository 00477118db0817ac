package io.runstream.projection.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runstream.projection.domain.HistoryEntry;
import java.time.Instant;

/**
 * One history entry: {@code type} STATUS (a status change, at {@code at}, with its phase: SUSPENDED when it paused) or TASK (a task step that ended, with its
 * name, position, task type, attempts and start and end times).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HistoryEntryResponse(String type, Instant at, String status, String phase, int attempt,
        ExecutionResponse.Error error,
        String taskName, String position, String taskType, Integer taskAttempts, Instant startedAt,
        Instant endedAt) {

    static HistoryEntryResponse of(HistoryEntry e) {
        return new HistoryEntryResponse(e.kind().name(), e.at(), e.status(), e.phase(), e.attempt(),
                e.error() == null ? null : new ExecutionResponse.Error(e.error().code(), e.error().message()),
                e.taskName(), e.position(), e.taskType(), e.taskAttempts(), e.startedAt(), e.endedAt());
    }
}
