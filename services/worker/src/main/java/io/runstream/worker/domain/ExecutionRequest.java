package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/** A request to start an execution, as the state machine sees it. */
public record ExecutionRequest(String executionId, String tenant, String workflowId, String inputJson,
        Instant requestedAt, Map<String, String> metadata) {
}
