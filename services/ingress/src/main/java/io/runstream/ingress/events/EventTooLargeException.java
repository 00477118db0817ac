package io.runstream.ingress.events;

/** An event that would not fit in one record on the event log. */
public class EventTooLargeException extends RuntimeException {

    public EventTooLargeException(String message) {
        super(message);
    }
}
