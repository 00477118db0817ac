package io.runstream.projection.messaging;

/** A record that can never be applied in full, however often it is retried; it belongs on the dead-letter topic. */
public class PoisonRecordException extends RuntimeException {

    private final String kind;

    private PoisonRecordException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A record that does not describe anything the view can hold (a bad id, an unknown status). */
    static PoisonRecordException invalid(String message) {
        return new PoisonRecordException("invalid", message);
    }

    /** A record whose data the database refused even without its input, output and messages. */
    static PoisonRecordException refused(String message) {
        return new PoisonRecordException("data-refused", message);
    }

    /** A record applied without its data, which the database refused; it is kept whole on the dead-letter topic. */
    static PoisonRecordException dataDropped(String message) {
        return new PoisonRecordException("data-dropped", message);
    }

    /** For the dead-letter metric's {@code reason} tag. */
    String kind() {
        return kind;
    }
}
