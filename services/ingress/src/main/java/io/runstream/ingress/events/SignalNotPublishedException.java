package io.runstream.ingress.events;

/** The broker did not acknowledge a signal in time: it may not be taken as accepted. */
public class SignalNotPublishedException extends RuntimeException {

    public SignalNotPublishedException(Signal signal, Throwable cause) {
        super("The signal for execution " + signal.executionId() + " was not written to the signals topic: "
                + cause.getMessage() + ". Send it again", cause);
    }
}
