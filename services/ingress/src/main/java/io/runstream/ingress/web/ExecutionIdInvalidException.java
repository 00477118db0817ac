package io.runstream.ingress.web;

/** An execution id that is not a UUID: no execution has it. */
class ExecutionIdInvalidException extends RuntimeException {

    ExecutionIdInvalidException(String executionId) {
        super("Execution " + executionId + " not found");
    }
}
