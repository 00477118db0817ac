package io.runstream.worker.domain;

/** A status change that the execution lifecycle does not allow. */
public class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(String executionId, ExecutionStatus from, ExecutionStatus to) {
        super("Execution " + executionId + " cannot move from " + from + " to " + to);
    }
}
