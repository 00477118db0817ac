package io.runstream.ingress.catalog;

/** A definition that is not valid Serverless Workflow 1.0, or that uses something Runstream refuses to run. */
public class InvalidDefinitionException extends RuntimeException {

    public InvalidDefinitionException(String message) {
        super(message);
    }
}
