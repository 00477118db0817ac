package io.runstream.worker.domain;

/** Why an execution did not succeed: a stable code and a readable message. */
public record ExecutionError(String code, String message) {
}
