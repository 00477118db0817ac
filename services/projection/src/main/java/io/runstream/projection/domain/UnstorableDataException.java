package io.runstream.projection.domain;

/**
 * The database refused what a change carries (a value it cannot represent, or one too large), not the database
 * being away: the same change would be refused again however often it is tried.
 */
public class UnstorableDataException extends RuntimeException {

    public UnstorableDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
