package io.runstream.projection.domain;

import java.time.Instant;
import java.util.List;

/**
 * One entry of an execution's history: a status change ({@code STATUS}) or a task step that ended ({@code TASK}).
 * Task fields are null for status changes. Entries are ordered by {@code ordinal}, the order the worker published
 * them in; entries written before ordinals (0) come first, by {@code at} and then {@code key}, as they were before.
 * Together the three are where the next page starts. {@code redriveCount} is the redrive the entry belongs to (0
 * before any). {@code events} are the events a task step consumed or emitted (none for status changes and most
 * tasks), {@code childExecutionId} the subflow a {@code run: workflow} step started (null for others).
 */
public record HistoryEntry(Kind kind, Instant at, String key, String status, int attempt, ExecutionError error,
        String taskName, String position, String taskType, Integer taskAttempts, Instant startedAt,
        Instant endedAt, String phase, String inputJson, String outputJson, boolean dataTruncated,
        int redriveCount, long ordinal, List<TaskEvent> events, java.util.UUID childExecutionId) {

    /** What kind of entry. */
    public enum Kind {
        STATUS, TASK
    }

    /** Where a page of history ended. */
    public record Position(long ordinal, Instant at, String key) {
    }

    /** Where a page that ends with this entry ended. */
    public Position place() {
        return new Position(ordinal, at, key);
    }
}
