package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/** A request to start an execution, as the state machine sees it, with the definition it runs (null if none came). */
public record ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, String inputJson, Instant requestedAt, Map<String, String> metadata) {

    /** The request pinned to a workflow version looked up by id, for producers that sent no definition. */
    /** The same request with its definition given another way (a reference instead of the text). */
    public ExecutionRequest withDefinition(String definition) {
        return new ExecutionRequest(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt,
                metadata);
    }

    public ExecutionRequest withDefinition(int version, String text) {
        return new ExecutionRequest(executionId, tenant, workflowId, version, text, inputJson, requestedAt, metadata);
    }
}
