package io.runstream.projection.messaging;

/** A record that can never be applied, however often it is retried; it belongs on the dead-letter topic. */
public class PoisonRecordException extends RuntimeException {

    PoisonRecordException(String message) {
        super(message);
    }
}
