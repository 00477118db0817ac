package io.runstream.projection.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The read model of one execution. A redrive reopens a FAILED or TIMED_OUT one: it is RUNNING again, with no finish
 * time or error, and {@code redriveCount} says how many times that happened. While it is WAITING on listens,
 * {@code waitingFor} holds them (empty otherwise). A subflow names the execution that started it
 * ({@code parentExecutionId}, null for one no execution started).
 */
public record ExecutionView(UUID executionId, String tenant, String workflowId, ExecutionStatus status, long sequence,
        int attempt, String inputJson, String outputJson, ExecutionError error, Instant startedAt,
        Instant finishedAt, java.util.Map<String, String> metadata, String phase, int redriveCount,
        java.util.List<ListenWait> waitingFor, UUID parentExecutionId) {

    public ExecutionView {
        waitingFor = waitingFor == null ? java.util.List.of() : java.util.List.copyOf(waitingFor);
    }

    /** How long it ran, once finished (from its start, redrives included). */
    public Duration duration() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
