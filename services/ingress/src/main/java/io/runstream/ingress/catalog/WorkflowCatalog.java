package io.runstream.ingress.catalog;

import io.runstream.ingress.domain.RecordRefusedException;
import io.runstream.ingress.domain.RequestTooLargeException;
import io.runstream.ingress.domain.StartableWorkflow;
import io.runstream.ingress.domain.WorkflowGate;
import io.runstream.ingress.domain.WorkflowIds;
import java.nio.charset.StandardCharsets;
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
    private final long maxDefinitionBytes;

    /** @param maxDefinitionBytes largest definition stored, so that it fits on the log with an input */
    public WorkflowCatalog(Workflows workflows, WorkflowEvents events, DefinitionValidator validator, Clock clock,
            long maxDefinitionBytes) {
        this.workflows = workflows;
        this.events = events;
        this.validator = validator;
        this.clock = clock;
        this.maxDefinitionBytes = maxDefinitionBytes;
    }

    /**
     * Validates and stores the definition as a new version, then publishes it. Once stored, the version stands: if
     * the broker is unavailable, {@link #republishPending} publishes it later.
     */
    public WorkflowVersion put(String tenant, String workflowId, DefinitionFormat format, String definition) {
        if (!WorkflowIds.isValid(workflowId)) {
            throw new InvalidWorkflowIdException(workflowId);
        }
        long bytes = definition.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxDefinitionBytes) {
            throw new RequestTooLargeException("The definition is " + bytes + " bytes; at most " + maxDefinitionBytes
                    + " are accepted (runstream.ingress.limits.max-definition-size), so that every start, which "
                    + "carries it, fits on the log with its input");
        }
        validator.validate(definition, format);
        return publishQuietly(workflows.saveNewVersion(tenant, workflowId, format, definition, now()));
    }

    /** The workflow's latest version; an id no workflow can have is not found, like one that was never defined. */
    public WorkflowVersion get(String tenant, String workflowId) {
        if (!WorkflowIds.isValid(workflowId)) {
            throw new WorkflowNotFoundException(workflowId);
        }
        return workflows.latest(tenant, workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    public WorkflowVersion setActive(String tenant, String workflowId, boolean active) {
        if (!WorkflowIds.isValid(workflowId)) {
            throw new WorkflowNotFoundException(workflowId);
        }
        return publishQuietly(workflows.setActive(tenant, workflowId, active, now())
                .orElseThrow(() -> new WorkflowNotFoundException(workflowId)));
    }

    /**
     * Publishes workflows whose current state is stored but not yet on the topic; returns how many were. One the log
     * refuses for good is marked and skipped; the sweep stops at the first other failure (the broker is away) and
     * the next one goes on.
     */
    public int republishPending(Duration minAge, int batchSize) {
        List<WorkflowVersion> pending = workflows.unpublished(clock.instant().minus(minAge), batchSize);
        int published = 0;
        for (WorkflowVersion version : pending) {
            try {
                events.published(version);
            } catch (RecordRefusedException refused) {
                refuse(version, refused);
                continue;
            }
            workflows.markPublished(version, now());
            published++;
        }
        return published;
    }

    private WorkflowVersion publishQuietly(WorkflowVersion version) {
        try {
            events.published(version);
            workflows.markPublished(version, now());
        } catch (RecordRefusedException refused) {
            refuse(version, refused);
        } catch (RuntimeException e) {
            log.warn("Workflow {} v{} is stored but not yet published; the sweeper will retry: {}",
                    version.workflowId(), version.version(), e.getMessage());
        }
        return version;
    }

    private void refuse(WorkflowVersion version, RecordRefusedException refused) {
        log.error("Workflow {} v{} of tenant {} is stored but the log refused it for good, so it will not be "
                + "published: {}", version.workflowId(), version.version(), version.tenant(), refused.getMessage());
        workflows.markRefused(version, refused.getMessage());
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
