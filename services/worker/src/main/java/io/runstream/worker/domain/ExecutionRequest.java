package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A request to start an execution, as the state machine sees it, with the definition it runs (null if none came).
 *
 * @param hops how many events emitted one after another led to it (0 when no event did)
 * @param rejection why it may not run, when whoever made it refused it already (a tenant over its start quota)
 * @param parentExecutionId the execution whose {@code run: workflow} task started it (a subflow), or null
 * @param subflowDepth how deep in subflows it is: 0 when no execution started it
 */
public record ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, String inputJson, Instant requestedAt, Map<String, String> metadata, int hops,
        ExecutionError rejection, String parentExecutionId, int subflowDepth) {

    /** A request no execution made. */
    public ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
            String definition, String inputJson, Instant requestedAt, Map<String, String> metadata, int hops,
            ExecutionError rejection) {
        this(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt, metadata, hops,
                rejection, null, 0);
    }

    /** A request no event caused and no one refused. */
    public ExecutionRequest(String executionId, String tenant, String workflowId, Integer workflowVersion,
            String definition, String inputJson, Instant requestedAt, Map<String, String> metadata) {
        this(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt, metadata, 0, null);
    }

    /** The same request with its definition given another way (a reference instead of the text). */
    public ExecutionRequest withDefinition(String definition) {
        return new ExecutionRequest(executionId, tenant, workflowId, workflowVersion, definition, inputJson, requestedAt,
                metadata, hops, rejection, parentExecutionId, subflowDepth);
    }

    /** The request pinned to a workflow version looked up by id, for producers that sent no definition. */
    public ExecutionRequest withDefinition(int version, String text) {
        return new ExecutionRequest(executionId, tenant, workflowId, version, text, inputJson, requestedAt, metadata,
                hops, rejection, parentExecutionId, subflowDepth);
    }
}
