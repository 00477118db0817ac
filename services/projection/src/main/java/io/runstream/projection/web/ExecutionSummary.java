package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionView;
import java.time.Instant;
import java.util.Map;

/** One execution in a list: everything but its input and output, which GET /v1/executions/{id} returns. */
record ExecutionSummary(String executionId, String workflowId, String status, String phase, int attempt,
        int redriveCount, ExecutionResponse.Error error, Instant startedAt, Instant finishedAt, Long durationMs,
        Map<String, String> metadata, String parentExecutionId) {

    static ExecutionSummary of(ExecutionView v) {
        return new ExecutionSummary(v.executionId().toString(), v.workflowId(), v.status().name(), v.phase(), v.attempt(),
                v.redriveCount(), v.error() == null ? null : new ExecutionResponse.Error(v.error().code(), v.error().message()),
                v.startedAt(), v.finishedAt(), v.duration() == null ? null : v.duration().toMillis(), v.metadata(),
                v.parentExecutionId() == null ? null : v.parentExecutionId().toString());
    }
}
