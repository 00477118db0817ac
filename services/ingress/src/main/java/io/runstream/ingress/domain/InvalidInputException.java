package io.runstream.ingress.domain;

/** A start whose input breaks its workflow's {@code input.schema}: refused, with where, before it is recorded. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String violation) {
        super("The input does not match the workflow's input.schema: " + violation);
    }
}
