package io.runstream.ingress.events;

/** The broker did not acknowledge the events in time: none of them may be taken as accepted. */
public class EventsNotPublishedException extends RuntimeException {

    public EventsNotPublishedException(int count, Throwable cause) {
        super("The " + (count == 1 ? "event was" : count + " events were") + " not written to the event log: "
                + cause.getMessage() + ". Send again; an event sent twice is recognised by its source and id", cause);
    }
}
