package io.runstream.worker.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.ChildOutcome;
import io.runstream.engine.WorkflowError;

/**
 * The end of a subflow, as its parent is told: the parent ({@code executionId}, whose partition it goes to), the
 * child, their tenant, how the child ended, and its output or the spec error it ended with.
 */
public record ChildEnd(String executionId, String child, String tenant, ExecutionStatus status, String outputJson,
        WorkflowError error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the task that waits on the child goes on with. */
    ChildOutcome outcome() {
        if (status != ExecutionStatus.SUCCEEDED) {
            return ChildOutcome.failed(error);
        }
        try {
            return ChildOutcome.succeeded(JSON.readTree(outputJson == null ? "null" : outputJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A subflow's output is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
