package io.runstream.ingress.domain;

/** The worker decided against a command; the outcome says why. */
public class CommandRejectedException extends RuntimeException {

    private final transient CommandOutcome outcome;

    public CommandRejectedException(ControlCommand command, CommandOutcome outcome) {
        super(command.kind().name().toLowerCase(java.util.Locale.ROOT) + " rejected: " + outcome.message());
        this.outcome = outcome;
    }

    public CommandOutcome outcome() {
        return outcome;
    }
}
