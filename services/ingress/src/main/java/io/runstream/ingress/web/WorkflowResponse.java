package io.runstream.ingress.web;

import io.runstream.ingress.catalog.WorkflowVersion;
import java.time.Instant;

/** A workflow as the catalog API shows it: its latest version, activation and definition text. */
record WorkflowResponse(String workflowId, int version, boolean active, String format, String definition,
        Instant updatedAt) {

    static WorkflowResponse of(WorkflowVersion v) {
        return new WorkflowResponse(v.workflowId(), v.version(), v.active(), v.format().name(), v.definition(),
                v.updatedAt());
    }
}
