package io.runstream.worker.domain;

import java.time.Instant;

/**
 * The worker's decision on one command: accepted, or rejected with a stable code and a sentence saying why.
 *
 * @param status the execution's status after the decision, or null if the worker does not know the execution
 */
public record CommandOutcome(ExecutionCommand command, boolean accepted, String code, String message,
        ExecutionStatus status, Instant decidedAt) {

    static CommandOutcome accepted(ExecutionCommand command, ExecutionStatus status, Instant at) {
        return new CommandOutcome(command, true, null, null, status, at);
    }

    static CommandOutcome rejected(ExecutionCommand command, String code, String message, ExecutionStatus status,
            Instant at) {
        return new CommandOutcome(command, false, code, message, status, at);
    }
}
