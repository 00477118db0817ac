package io.runstream.worker.domain;

import java.time.Instant;

/** A caller's request to stop an execution, with the reason it gave, if any. */
public record StopRequest(String executionId, String reason, Instant requestedAt) {
}
