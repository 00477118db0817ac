package io.runstream.worker.domain;

import io.runstream.engine.Progress;
import java.time.Instant;

/**
 * The state of one execution, owned by the state machine: its status and, while it is live, the progress of its
 * run, and while it is paused, what it holds back. A FAILED or TIMED_OUT execution may keep progress too: its
 * redrive point, where a redrive goes on from. Each status transition returns the next state; progress changes in
 * place as the run advances.
 *
 * @param redriveCount how many times it was redriven
 * @param parentExecutionId the execution whose {@code run: workflow} task started it (a subflow), or null
 * @param subflowDepth how deep in subflows it is: 0 when no execution started it
 */
public record Execution(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, ExecutionStatus status, long sequence, int attempt, String inputJson, Instant requestedAt,
        Instant updatedAt, Progress progress, Suspension suspension, int redriveCount, String parentExecutionId,
        int subflowDepth) {

    public Execution {
        // the progress does not store whose it is: $workflow.id is the execution's id, a subflow is looked up in its
        // tenant's catalog, and a child's id takes the redrive count
        progress = progress == null ? null
                : progress.forExecution(executionId).ownedBy(tenant, redriveCount, subflowDepth);
    }

    static Execution queued(ExecutionRequest request) {
        return new Execution(request.executionId(), request.tenant(), request.workflowId(),
                request.workflowVersion(), request.definition(), ExecutionStatus.QUEUED, 1, 1, request.inputJson(),
                request.requestedAt(), request.requestedAt(), null, null, 0, request.parentExecutionId(),
                request.subflowDepth());
    }

    /** Starts the run with empty progress, {@code hops} events long (how many emitted one after another led to it). */
    Execution start(Instant at, int hops) {
        if (status != ExecutionStatus.QUEUED) {
            throw new IllegalTransitionException(executionId, status, ExecutionStatus.RUNNING);
        }
        return next(ExecutionStatus.RUNNING, at, new Progress(hops), null);
    }

    /** Ends the execution; a terminal execution keeps no progress. */
    Execution finish(ExecutionStatus terminal, Instant at) {
        return finish(terminal, at, null);
    }

    /** Ends the execution; a FAILED or TIMED_OUT one keeps {@code redrivePoint}, if any, to be redriven from. */
    Execution finish(ExecutionStatus terminal, Instant at, Progress redrivePoint) {
        if (!terminal.isTerminal() || status.isTerminal()) {
            throw new IllegalTransitionException(executionId, status, terminal);
        }
        boolean redrivable = terminal == ExecutionStatus.FAILED || terminal == ExecutionStatus.TIMED_OUT;
        return next(terminal, at, redrivable ? redrivePoint : null, null);
    }

    /** Reopens a failed execution RUNNING from its redrive point: a new status event, with one more redrive. */
    Execution redrive(Instant at) {
        if (!isRedrivable()) {
            throw new IllegalTransitionException(executionId, status, ExecutionStatus.RUNNING);
        }
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, ExecutionStatus.RUNNING,
                sequence + 1, attempt, inputJson, requestedAt, at, progress, null, redriveCount + 1, parentExecutionId,
                subflowDepth);
    }

    /** Pauses the run: a new status event (RUNNING, SUSPENDED) and nothing advances until {@link #resume}. */
    Execution suspend(Instant at) {
        return next(status, at, progress, Suspension.since(at));
    }

    /** Resumes a paused run: a new status event (RUNNING). */
    Execution resume(Instant at) {
        return next(status, at, progress, null);
    }

    /** The same execution holding back one more input while paused (no status event). */
    Execution holding(Suspension more) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, status, sequence, attempt,
                inputJson, requestedAt, updatedAt, progress, more, redriveCount, parentExecutionId, subflowDepth);
    }

    /** The same execution with a new status event (its phase changed). */
    Execution touch(Instant at) {
        return next(status, at, progress, suspension);
    }

    private Execution next(ExecutionStatus to, Instant at, Progress nextProgress, Suspension nextSuspension) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, to, sequence + 1, attempt,
                inputJson, requestedAt, at, nextProgress, nextSuspension, redriveCount, parentExecutionId,
                subflowDepth);
    }

    public boolean isSuspended() {
        return suspension != null;
    }

    /**
     * True while it runs, not paused, with only timers, listens and subflows pending: no task can move and no
     * activity is in flight.
     */
    boolean isWaiting() {
        return isLive() && !isSuspended() && progress.isParked() && progress.activities().isEmpty()
                && (!progress.timers().isEmpty() || !progress.subscriptions().isEmpty()
                || !progress.children().isEmpty());
    }

    /** True while it runs with progress this version of the worker can advance. */
    public boolean isLive() {
        return !status.isTerminal() && progress != null;
    }

    /** True when it failed or timed out with a redrive point to go on from. */
    public boolean isRedrivable() {
        return (status == ExecutionStatus.FAILED || status == ExecutionStatus.TIMED_OUT) && progress != null;
    }
}
