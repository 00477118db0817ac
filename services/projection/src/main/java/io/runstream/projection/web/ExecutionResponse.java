package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ListenWait;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One execution as the API shows it; {@code phase} is WAITING while only timers, listens and subflows are pending,
 * SUSPENDED while it is paused, null otherwise; {@code waitingFor} the listens a WAITING execution waits on (null when
 * it waits on none); {@code redriveCount} how many times it was redriven (0 before any redrive);
 * {@code parentExecutionId} the execution whose {@code run: workflow} task started it (null for one no execution
 * started).
 */
record ExecutionResponse(String executionId, String workflowId, String status, String phase,
        List<Waiting> waitingFor, int attempt, int redriveCount, JsonNode input, JsonNode output, Error error,
        Instant startedAt, Instant finishedAt, Long durationMs, String parentExecutionId) {

    /** Why it did not succeed. */
    record Error(String code, String message) {
    }

    /**
     * One open listen: the listen task's position, the exact event types it listens for, the value each correlation
     * expects (as JSON, by correlation name) and when it opened.
     */
    record Waiting(String position, List<String> types, Map<String, JsonNode> correlations, Instant since) {

        static Waiting of(ListenWait w, JsonMapper json) {
            Map<String, JsonNode> correlations = new java.util.LinkedHashMap<>();
            w.correlations().forEach((name, value) -> correlations.put(name, JsonData.parse(value, json)));
            return new Waiting(w.position(), w.types(), correlations, w.since());
        }
    }

    static ExecutionResponse of(ExecutionView v, JsonMapper json) {
        return new ExecutionResponse(v.executionId().toString(), v.workflowId(), v.status().name(), v.phase(),
                v.waitingFor().isEmpty() ? null : v.waitingFor().stream().map(w -> Waiting.of(w, json)).toList(),
                v.attempt(), v.redriveCount(),
                JsonData.parse(v.inputJson(), json), JsonData.parse(v.outputJson(), json),
                v.error() == null ? null : new Error(v.error().code(), v.error().message()),
                v.startedAt(), v.finishedAt(), v.duration() == null ? null : v.duration().toMillis(),
                v.parentExecutionId() == null ? null : v.parentExecutionId().toString());
    }
}
