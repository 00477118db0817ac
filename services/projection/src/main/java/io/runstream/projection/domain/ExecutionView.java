package io.runstream.projection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The read model of one execution. */
public record ExecutionView(UUID executionId, String tenant, String workflowId, ExecutionStatus status, long sequence,
        int attempt, String inputJson, String outputJson, ExecutionError error, Instant startedAt,
        Instant finishedAt, java.util.Map<String, String> metadata, String phase) {

    /** How long it ran, once finished. */
    public Duration duration() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
