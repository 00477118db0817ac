package io.runstream.worker.domain;

import io.runstream.engine.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One status change to publish; input and metadata ride on QUEUED, output on SUCCEEDED, error on the others, and a
 * RUNNING one may carry a phase, and when it is WAITING, the listens it waits on ({@code waitingFor}, none if it
 * waits on timers alone). Its {@code ordinal} places it among everything the execution publishes: the status
 * sequence plus the task steps its run had taken when it changed. Every status change adds one to the first and
 * every task step one to the second, and neither ever goes back, so ordinals grow strictly in the order things
 * happened, with no state of their own.
 */
public record StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata, Phase phase, long ordinal, List<ListenWait> waitingFor) {

    public StatusChange {
        waitingFor = waitingFor == null ? List.of() : List.copyOf(waitingFor);
    }

    /**
     * A change whose execution holds its run's progress as it is when it changes; a WAITING one takes the listens
     * that progress has open.
     */
    public StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
            ExecutionError error, Map<String, String> metadata, Phase phase) {
        this(execution, occurredAt, inputJson, outputJson, error, metadata, phase,
                ordinal(execution, steps(execution.progress())),
                phase == Phase.WAITING ? ListenWait.of(execution.progress()) : List.of());
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
                ordinal(execution, steps), waitingFor);
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
