package io.runstream.ingress.domain;

/** A command on the log, and its outcome if it was decided within the wait (null otherwise). */
public record ControlResult(ControlCommand command, CommandOutcome outcome) {
}
