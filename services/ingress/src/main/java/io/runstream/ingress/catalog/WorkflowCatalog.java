package io.runstream.ingress.catalog;

import io.runstream.ingress.domain.StartableWorkflow;
import io.runstream.ingress.domain.WorkflowGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores validated, versioned workflow definitions and tells whether a workflow may start executions. */
public class WorkflowCatalog implements WorkflowGate {

    private static final Logger log = LoggerFactory.getLogger(WorkflowCatalog.class);

    private final Workflows workflows;
    private final WorkflowEvents events;
    private final DefinitionValidator validator;
    private final Clock clock;

    public WorkflowCatalog(Workflows workflows, WorkflowEvents events, DefinitionValidator validator, Clock clock) {
        this.workflows = workflows;
        this.events = events;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * Validates and stores the definition as a new version, then publishes it. Once stored, the version stands: if
     * the broker is unavailable, {@link #republishPending} publishes it later.
     */
    public WorkflowVersion put(String tenant, String workflowId, DefinitionFormat format, String definition) {
        validator.validate(definition, format);
        return publishQuietly(workflows.saveNewVersion(tenant, workflowId, format, definition, now()));
    }

    public WorkflowVersion get(String tenant, String workflowId) {
        return workflows.latest(tenant, workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    public WorkflowVersion setActive(String tenant, String workflowId, boolean active) {
        return publishQuietly(workflows.setActive(tenant, workflowId, active, now())
                .orElseThrow(() -> new WorkflowNotFoundException(workflowId)));
    }

    /** Publishes workflows whose current state is stored but not yet on the topic; returns how many. */
    public int republishPending(Duration minAge, int batchSize) {
        List<WorkflowVersion> pending = workflows.unpublished(clock.instant().minus(minAge), batchSize);
        for (WorkflowVersion version : pending) {
            events.published(version);
            workflows.markPublished(version, now());
        }
        return pending.size();
    }

    private WorkflowVersion publishQuietly(WorkflowVersion version) {
        try {
            events.published(version);
            workflows.markPublished(version, now());
        } catch (RuntimeException e) {
            log.warn("Workflow {} v{} is stored but not yet published; the sweeper will retry: {}",
                    version.workflowId(), version.version(), e.getMessage());
        }
        return version;
    }

    public List<WorkflowVersion> list(String tenant, String afterWorkflowId, int limit) {
        return workflows.list(tenant, afterWorkflowId, limit);
    }

    /** The workflow's versions, newest first; the workflow must exist. */
    public List<StoredVersion> versions(String tenant, String workflowId, Integer beforeVersion, int limit) {
        get(tenant, workflowId);
        return workflows.versions(tenant, workflowId, beforeVersion, limit);
    }

    public StoredVersion version(String tenant, String workflowId, int version) {
        get(tenant, workflowId);
        return workflows.version(tenant, workflowId, version)
                .orElseThrow(() -> new VersionNotFoundException(workflowId, version));
    }

    @Override
    public StartableWorkflow startable(String tenant, String workflowId) {
        WorkflowVersion latest = get(tenant, workflowId);
        if (!latest.active()) {
            throw new WorkflowInactiveException(workflowId);
        }
        return new StartableWorkflow(latest.version(), latest.definition());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
