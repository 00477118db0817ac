package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A request to start an execution, as the state machine sees it, with the definition it runs (null if none came).
 *
 * @param hops how many events emitted one after another led to it (0 when no event did)
 * @param rejection why it may not run, when whoever made it refused it already (a tenant over its start quota)
 */
public record ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, String inputJson, Instant requestedAt, Map<String, String> metadata, int hops,
        ExecutionError rejection) {

    /** A request no event caused and no one refused. */
    public ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
            String definition, String inputJson, Instant requestedAt, Map<String, String> metadata) {
        this(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt, metadata, 0, null);
    }

    /** The request pinned to a workflow version looked up by id, for producers that sent no definition. */
    /** The same request with its definition given another way (a reference instead of the text). */
    public ExecutionRequest withDefinition(String definition) {
        return new ExecutionRequest(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt,
                metadata, hops, rejection);
    }

    public ExecutionRequest withDefinition(int version, String text) {
        return new ExecutionRequest(executionId, tenant, workflowId, version, text, inputJson, requestedAt, metadata,
                hops, rejection);
    }
}
