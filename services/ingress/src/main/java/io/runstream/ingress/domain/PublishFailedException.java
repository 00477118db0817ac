package io.runstream.ingress.domain;

/** The request is recorded but could not be published yet; it will be published by a retry or the sweeper. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(ExecutionId executionId, Throwable cause) {
        super("Execution " + executionId + " is recorded but could not be published yet; it will be retried", cause);
    }
}
