package io.runstream.projection.domain;

/** Where an execution is in its life, as the view shows it. */
public enum ExecutionStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    /** Finished for now: a redrive may still reopen a FAILED or TIMED_OUT execution. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }

    /** A finish that a redrive may reopen (RUNNING again, its sequence going on). */
    public boolean isRedrivable() {
        return this == FAILED || this == TIMED_OUT;
    }

    /** A finish that nothing reopens. */
    public boolean isFinal() {
        return isTerminal() && !isRedrivable();
    }
}
