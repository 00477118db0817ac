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

    /** Notes that this state of the workflow is on the topic, unless the workflow has changed since. */
    void markPublished(WorkflowVersion version, Instant at);

    /** Notes that the topic refused this state of the workflow for good; it is published no more. */
    void markRefused(WorkflowVersion version, String reason);

    /**
     * Workflows whose current state changed before {@code changedBefore} and is not yet on the topic, nor refused
     * by it.
     */
    List<WorkflowVersion> unpublished(Instant changedBefore, int limit);

    /** Latest versions ordered by workflow id, starting after {@code afterWorkflowId} (null for the first page). */
    List<WorkflowVersion> list(String tenant, String afterWorkflowId, int limit);

    /** The workflow's versions, newest first, each below {@code beforeVersion} (null for the first page). */
    List<StoredVersion> versions(String tenant, String workflowId, Integer beforeVersion, int limit);

    Optional<StoredVersion> version(String tenant, String workflowId, int version);
}
