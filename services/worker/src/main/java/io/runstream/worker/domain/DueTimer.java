package io.runstream.worker.domain;

/** A timer that came due: whose it is, its number, and when it was due (epoch millis). */
public record DueTimer(String executionId, long seq, long dueAt) {
}
