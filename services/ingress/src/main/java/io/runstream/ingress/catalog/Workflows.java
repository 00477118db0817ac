package io.runstream.ingress.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the stored catalog of workflow definitions. */
public interface Workflows {

    /** Stores the definition as the workflow's next version (1 for a new workflow, which starts active). */
    WorkflowVersion saveNewVersion(String tenant, String workflowId, DefinitionFormat format, String definition,
            Instant at);

    Optional<WorkflowVersion> latest(String tenant, String workflowId);

    /** Sets whether new executions may start; empty if there is no such workflow. */
    Optional<WorkflowVersion> setActive(String tenant, String workflowId, boolean active, Instant at);

    /** Latest versions ordered by workflow id, starting after {@code afterWorkflowId} (null for the first page). */
    List<WorkflowVersion> list(String tenant, String afterWorkflowId, int limit);
}
