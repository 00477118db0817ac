package io.runstream.projection.domain;

import java.util.UUID;

/** No execution with this id is visible to the caller. */
public class ExecutionNotFoundException extends RuntimeException {

    public ExecutionNotFoundException(String executionId) {
        super("Execution " + executionId + " not found");
    }

    public ExecutionNotFoundException(UUID executionId) {
        this(executionId.toString());
    }
}
