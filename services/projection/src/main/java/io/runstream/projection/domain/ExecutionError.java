package io.runstream.projection.domain;

/** Why an execution did not succeed. */
public record ExecutionError(String code, String message) {
}
