package io.runstream.ingress.events;

/** An event that is not a valid CloudEvent, or not one Runstream takes: the message names the attribute. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
