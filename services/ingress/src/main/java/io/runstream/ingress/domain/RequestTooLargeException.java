package io.runstream.ingress.domain;

/**
 * A request that is within the body limit but cannot be carried out whole: its input over what an execution's
 * state may hold, its definition over the definition limit, or the record it makes over what the log takes. It is
 * refused before anything is recorded, and however often it is sent again.
 */
public class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException(String message) {
        super(message);
    }
}
