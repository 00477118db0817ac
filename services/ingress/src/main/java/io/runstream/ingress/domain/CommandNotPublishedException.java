package io.runstream.ingress.domain;

/** A command the broker did not acknowledge in time; it may or may not be on the log, and is safe to send again. */
public class CommandNotPublishedException extends RuntimeException {

    public CommandNotPublishedException(ControlCommand command, Throwable cause) {
        super("The " + command.kind().name().toLowerCase(java.util.Locale.ROOT) + " of execution "
                + command.executionId() + " could not be put on the log in time; send it again", cause);
    }
}
