package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A subflow to start, as a turn asks it: the number the engine gave it, the task that starts it, the child's
 * execution id, the workflow it runs (its id, the catalog's version number and the definition text, so the version
 * is fixed when the child starts), its input, and whether the task waits for its end.
 */
public record ChildStart(long seq, String at, String executionId, String workflowId, int workflowVersion,
        String definition, JsonNode input, boolean awaited) {
}
