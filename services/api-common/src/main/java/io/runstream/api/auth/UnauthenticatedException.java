package io.runstream.api.auth;

/** A request without a valid API key; each service's error handler answers it with 401. */
public class UnauthenticatedException extends RuntimeException {

    public UnauthenticatedException(String message) {
        super(message);
    }
}
