package io.runstream.projection.web;

/** A cursor this API did not issue, or issued for a different ordering. */
class InvalidCursorException extends RuntimeException {

    InvalidCursorException(String message) {
        super(message);
    }
}
