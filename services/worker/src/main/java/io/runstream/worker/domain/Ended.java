package io.runstream.worker.domain;

import java.time.Instant;

/**
 * What is known of an execution that is no longer live: it finished within the retention, or it failed and is kept
 * for redrive, which may be longer.
 */
final class Ended {

    private final FinishedStore finished;
    private final RedriveStore redrivable;

    Ended(FinishedStore finished, RedriveStore redrivable) {
        this.finished = finished;
        this.redrivable = redrivable;
    }

    boolean contains(String executionId, Instant now) {
        return finished.contains(executionId, now.toEpochMilli())
                || redrivable.find(executionId, now.toEpochMilli()) != null;
    }

    /** The execution as it failed, if it is kept for redrive, else null. */
    Execution redrivable(String executionId, Instant now) {
        return redrivable.find(executionId, now.toEpochMilli());
    }

    /**
     * The terminal status of an execution that is no longer live, for this tenant: from the finished executions,
     * or from those kept for redrive. Null if neither knows it.
     */
    ExecutionStatus finishedAs(String executionId, String tenant, Instant now) {
        ExecutionStatus status = finished.status(executionId, tenant, now.toEpochMilli());
        if (status != null) {
            return status;
        }
        Execution failed = redrivable.find(executionId, now.toEpochMilli());
        return failed != null && failed.tenant().equals(tenant) ? failed.status() : null;
    }
}
