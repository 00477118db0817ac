package io.runstream.ingress.web;

import java.time.Instant;

/** Response to a start: the Flowker {@code ExecutionCreateOutput}. */
record ExecutionCreated(String executionId, String workflowId, String status, Instant startedAt) {
}
