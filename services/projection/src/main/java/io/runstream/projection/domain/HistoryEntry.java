package io.runstream.projection.domain;

import java.time.Instant;

/**
 * One entry of an execution's history: a status change ({@code STATUS}) or a task step that ended ({@code TASK}).
 * Task fields are null for status changes. {@code key} orders entries that share a timestamp and, with {@code at},
 * is where the next page starts. {@code redriveCount} is the redrive the entry belongs to (0 before any).
 */
public record HistoryEntry(Kind kind, Instant at, String key, String status, int attempt, ExecutionError error,
        String taskName, String position, String taskType, Integer taskAttempts, Instant startedAt,
        Instant endedAt, String phase, String inputJson, String outputJson, boolean dataTruncated,
        int redriveCount) {

    /** What kind of entry. */
    public enum Kind {
        STATUS, TASK
    }

    /** Where a page of history ended. */
    public record Position(Instant at, String key) {
    }
}
