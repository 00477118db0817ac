package io.runstream.worker.domain;

import io.runstream.worker.flow.Progress;
import java.time.Instant;

/**
 * The state of one execution, owned by the state machine: its status and, while it is live, the progress of its
 * run, and while it is paused, what it holds back. Each status transition returns the next state; progress changes in place as the run advances.
 */
public record Execution(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, ExecutionStatus status, long sequence, int attempt, String inputJson, Instant requestedAt,
        Instant updatedAt, Progress progress, Suspension suspension) {

    static Execution queued(ExecutionRequest request) {
        return new Execution(request.executionId(), request.tenant(), request.workflowId(),
                request.workflowVersion(), request.definition(), ExecutionStatus.QUEUED, 1, 1, request.inputJson(),
                request.requestedAt(), request.requestedAt(), null, null);
    }

    /** Starts the run with empty progress. */
    Execution start(Instant at) {
        if (status != ExecutionStatus.QUEUED) {
            throw new IllegalTransitionException(executionId, status, ExecutionStatus.RUNNING);
        }
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, ExecutionStatus.RUNNING,
                sequence + 1, attempt, inputJson, requestedAt, at, new Progress(), null);
    }

    /** Ends the execution; a terminal execution keeps no progress. */
    Execution finish(ExecutionStatus terminal, Instant at) {
        if (!terminal.isTerminal() || status.isTerminal()) {
            throw new IllegalTransitionException(executionId, status, terminal);
        }
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, terminal, sequence + 1,
                attempt, inputJson, requestedAt, at, null, null);
    }

    /** Pauses the run: a new status event (RUNNING, SUSPENDED) and nothing advances until {@link #resume}. */
    Execution suspend(Instant at) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, status, sequence + 1,
                attempt, inputJson, requestedAt, at, progress, Suspension.since(at));
    }

    /** Resumes a paused run: a new status event (RUNNING). */
    Execution resume(Instant at) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, status, sequence + 1,
                attempt, inputJson, requestedAt, at, progress, null);
    }

    /** The same execution holding back one more input while paused (no status event). */
    Execution holding(Suspension more) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, status, sequence, attempt,
                inputJson, requestedAt, updatedAt, progress, more);
    }

    public boolean isSuspended() {
        return suspension != null;
    }

    /** True while it runs, not paused, with only timers pending: no task can move and no activity is in flight. */
    boolean isWaiting() {
        return isLive() && !isSuspended() && progress.isParked() && progress.activities().isEmpty()
                && !progress.timers().isEmpty();
    }

    /** The same execution with a new status event (its phase changed). */
    Execution touch(Instant at) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, status, sequence + 1,
                attempt, inputJson, requestedAt, at, progress, suspension);
    }

    /** True while it runs with progress this version of the worker can advance. */
    public boolean isLive() {
        return !status.isTerminal() && progress != null;
    }
}
