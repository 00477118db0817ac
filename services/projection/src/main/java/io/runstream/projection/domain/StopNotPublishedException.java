package io.runstream.projection.domain;

/** A stop request that could not be put on the log in time; nothing was stopped, and the caller may retry. */
public class StopNotPublishedException extends RuntimeException {

    public StopNotPublishedException(Throwable cause) {
        super("The stop request could not be put on the log in time; retry it", cause);
    }
}
