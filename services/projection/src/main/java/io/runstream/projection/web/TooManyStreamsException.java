package io.runstream.projection.web;

/** An API key that already holds as many event streams open as it may; answered 429 with Retry-After. */
class TooManyStreamsException extends RuntimeException {

    TooManyStreamsException(int max) {
        super("This API key already has " + max + " event streams open, the most it may have at once; close one, "
                + "or try again when one ends");
    }
}
