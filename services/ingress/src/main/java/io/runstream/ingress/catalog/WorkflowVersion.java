package io.runstream.ingress.catalog;

import java.time.Instant;

/** One stored version of a workflow definition, with the workflow's current activation. */
public record WorkflowVersion(String tenant, String workflowId, int version, DefinitionFormat format,
        String definition, boolean active, Instant updatedAt) {
}
