package io.runstream.ingress.domain;

/** The log refused a record for good (too large for the topic, say): publishing it again cannot succeed. */
public class RecordRefusedException extends RuntimeException {

    public RecordRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
