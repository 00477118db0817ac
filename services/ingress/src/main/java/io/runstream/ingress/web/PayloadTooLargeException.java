package io.runstream.ingress.web;

/** The request body is larger than the configured limit. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(long limitBytes) {
        super("Request body exceeds the limit of " + limitBytes + " bytes");
    }
}
