package io.runstream.worker.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides every transition of an execution from its current state and one input. Duplicates and reports from
 * stale attempts change nothing, so the log can be replayed safely.
 */
public final class ExecutionStateMachine {

    private final int maxAttempts;

    /** @param maxAttempts how many attempts an execution gets before a silent runner fails it */
    public ExecutionStateMachine(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /**
     * The current attempt's lease ran out with no outcome reported (its runner crashed, or its dispatch was lost):
     * dispatch a new attempt, or fail the execution once it has had {@code maxAttempts}.
     */
    public Decision onLeaseExpired(Execution current, Instant now) {
        if (current == null || current.status().isTerminal()) {
            return Decision.ignore();
        }
        if (current.attempt() >= maxAttempts) {
            Execution failed = current.finish(ExecutionStatus.FAILED, now);
            ExecutionError error = new ExecutionError("RUN_LOST", "No outcome was reported for attempt "
                    + current.attempt() + " of " + maxAttempts + " within its lease");
            return new Decision(failed, List.of(new StatusChange(failed, now, null, null, error, Map.of())), null);
        }
        Execution requeued = current.requeue(now);
        return new Decision(requeued, List.of(new StatusChange(requeued, now, null, null, null, Map.of())),
                requeued.runOrder());
    }

    /**
     * A request that cannot run (its workflow is unknown or deactivated) is recorded, so its requester can see it,
     * and fails at once with the reason; nothing is dispatched.
     */
    public Decision onRejected(Execution current, ExecutionRequest request, ExecutionError reason) {
        if (current != null) {
            return Decision.ignore();
        }
        Execution queued = Execution.queued(request);
        Execution failed = queued.finish(ExecutionStatus.FAILED, request.requestedAt());
        return new Decision(failed, List.of(new StatusChange(queued, request.requestedAt(), request.inputJson(), null,
                null, request.metadata() == null ? Map.of() : request.metadata()),
                new StatusChange(failed, request.requestedAt(), null, null, reason, Map.of())), null);
    }

    /** A request for an execution that already exists is a duplicate and is ignored. */
    public Decision onRequested(Execution current, ExecutionRequest request) {
        if (current != null) {
            return Decision.ignore();
        }
        Execution queued = Execution.queued(request);
        StatusChange change = new StatusChange(queued, request.requestedAt(), request.inputJson(), null, null,
                request.metadata() == null ? Map.of() : request.metadata());
        return new Decision(queued, List.of(change), queued.runOrder());
    }

    /**
     * Applies a runner report for the current attempt of a live execution; anything else is ignored. A STARTED
     * report for an attempt already running is the runner's heartbeat and renews the attempt's lease.
     */
    public Decision onReport(Execution current, RunReport report) {
        if (current == null || current.status().isTerminal() || report.attempt() != current.attempt()) {
            return Decision.ignore();
        }
        return switch (report.outcome()) {
            case STARTED -> current.status() == ExecutionStatus.QUEUED
                    ? single(current.start(report.reportedAt()), report, null, null)
                    : Decision.renewLease();
            case SUCCEEDED -> single(current.finish(ExecutionStatus.SUCCEEDED, report.reportedAt()), report,
                    report.outputJson(), null);
            case FAILED -> single(current.finish(ExecutionStatus.FAILED, report.reportedAt()), report, null,
                    report.error());
            case TIMED_OUT -> single(current.finish(ExecutionStatus.TIMED_OUT, report.reportedAt()), report, null,
                    report.error());
        };
    }

    /**
     * Stops a live execution: it ends CANCELLED with the caller's reason, and the runner of its current attempt is
     * told to stop. A stop for an unknown or finished execution changes nothing.
     */
    public Decision onStopRequested(Execution current, StopRequest stop) {
        if (current == null || current.status().isTerminal()) {
            return Decision.ignore();
        }
        Execution cancelled = current.finish(ExecutionStatus.CANCELLED, stop.requestedAt());
        ExecutionError reason = new ExecutionError("CANCELLED", stop.reason() == null || stop.reason().isBlank()
                ? "Stopped on request" : stop.reason());
        return new Decision(cancelled, List.of(new StatusChange(cancelled, stop.requestedAt(), null, null, reason,
                Map.of())), current.cancelOrder());
    }

    private static Decision single(Execution next, RunReport report, String outputJson, ExecutionError error) {
        return new Decision(next, List.of(new StatusChange(next, report.reportedAt(), null, outputJson, error,
                Map.of())), null);
    }
}
