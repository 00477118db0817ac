package io.runstream.worker.domain;

import java.time.Instant;

/**
 * The worker's decision on one command: accepted, or rejected with a stable code and a sentence saying why.
 *
 * @param status the execution's status after the decision, or null if the worker does not know the execution
 * @param sequence the execution's status sequence after an accepted command, or null
 * @param redriveCount how many times the execution was redriven, after an accepted command
 */
public record CommandOutcome(ExecutionCommand command, boolean accepted, String code, String message,
        ExecutionStatus status, Long sequence, int redriveCount, Instant decidedAt) {

    static CommandOutcome accepted(ExecutionCommand command, Execution after, Instant at) {
        return new CommandOutcome(command, true, null, null, after.status(), after.sequence(), after.redriveCount(),
                at);
    }

    static CommandOutcome rejected(ExecutionCommand command, String code, String message, ExecutionStatus status,
            Instant at) {
        return new CommandOutcome(command, false, code, message, status, null, 0, at);
    }
}
