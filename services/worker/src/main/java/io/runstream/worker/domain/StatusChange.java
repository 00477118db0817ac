package io.runstream.worker.domain;

import io.runstream.engine.Progress;
import java.time.Instant;
import java.util.Map;

/**
 * One status change to publish; input and metadata ride on QUEUED, output on SUCCEEDED, error on the others, and a
 * RUNNING one may carry a phase. Its {@code ordinal} places it among everything the execution publishes: the status
 * sequence plus the task steps its run had taken when it changed. Every status change adds one to the first and
 * every task step one to the second, and neither ever goes back, so ordinals grow strictly in the order things
 * happened, with no state of their own.
 */
public record StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata, Phase phase, long ordinal) {

    /** A change whose execution holds its run's progress as it is when it changes. */
    public StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
            ExecutionError error, Map<String, String> metadata, Phase phase) {
        this(execution, occurredAt, inputJson, outputJson, error, metadata, phase,
                ordinal(execution, steps(execution.progress())));
    }

    /** Such a change whose phase is SUSPENDED if the execution is paused, none otherwise. */
    public StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
            ExecutionError error, Map<String, String> metadata) {
        this(execution, occurredAt, inputJson, outputJson, error, metadata,
                execution.isSuspended() ? Phase.SUSPENDED : null);
    }

    /** The same change placed after {@code steps} task steps of its run. */
    StatusChange after(long steps) {
        return new StatusChange(execution, occurredAt, inputJson, outputJson, error, metadata, phase,
                ordinal(execution, steps));
    }

    /** Where a change of {@code execution} stands once its run has taken {@code steps} task steps. */
    static long ordinal(Execution execution, long steps) {
        return execution.sequence() + steps;
    }

    /** The task steps a run has numbered so far; none without progress. */
    static long steps(Progress progress) {
        return progress == null ? 0 : progress.steps();
    }
}
