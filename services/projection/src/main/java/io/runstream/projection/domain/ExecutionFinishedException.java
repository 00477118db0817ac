package io.runstream.projection.domain;

import java.util.UUID;

/** A stop for an execution that has already finished. */
public class ExecutionFinishedException extends RuntimeException {

    public ExecutionFinishedException(UUID executionId, ExecutionStatus status) {
        super("Execution " + executionId + " already finished as " + status + "; there is nothing to stop");
    }
}
