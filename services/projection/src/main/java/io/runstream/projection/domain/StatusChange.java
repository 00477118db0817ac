package io.runstream.projection.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One status event, as the projection applies it; {@code redriveCount} is the redrive it belongs to (0 before any). */
public record StatusChange(UUID executionId, String tenant, String workflowId, ExecutionStatus status, long sequence,
        int attempt, Instant occurredAt, Instant requestedAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata, String phase, int redriveCount) {

    /** When the execution finished, if this change finished it. */
    public Instant finishedAt() {
        return status.isTerminal() ? occurredAt : null;
    }
}
