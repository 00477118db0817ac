package io.runstream.worker.domain;

import java.time.Instant;

/**
 * A caller's command for one execution, from the control topic.
 *
 * @param kind what to do; null when the command is of a kind this worker does not know
 * @param expectedAttempt a precondition: the attempt the caller expects the execution to be in, or null
 */
public record ExecutionCommand(String commandId, String executionId, String tenant, Kind kind, String reason,
        Integer expectedAttempt, Instant requestedAt) {

    /** The commands an execution can be given. */
    public enum Kind {
        STOP, PAUSE, RESUME, REDRIVE
    }
}
