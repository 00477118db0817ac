package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionView;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One execution as the API shows it; {@code phase} is SUSPENDED while it is paused, null otherwise, and
 * {@code redriveCount} how many times it was redriven (0 before any redrive).
 */
record ExecutionResponse(String executionId, String workflowId, String status, String phase, int attempt,
        int redriveCount, JsonNode input, JsonNode output, Error error, Instant startedAt, Instant finishedAt,
        Long durationMs) {

    /** Why it did not succeed. */
    record Error(String code, String message) {
    }

    static ExecutionResponse of(ExecutionView v, JsonMapper json) {
        return new ExecutionResponse(v.executionId().toString(), v.workflowId(), v.status().name(), v.phase(),
                v.attempt(), v.redriveCount(),
                JsonData.parse(v.inputJson(), json), JsonData.parse(v.outputJson(), json),
                v.error() == null ? null : new Error(v.error().code(), v.error().message()),
                v.startedAt(), v.finishedAt(), v.duration() == null ? null : v.duration().toMillis());
    }
}
