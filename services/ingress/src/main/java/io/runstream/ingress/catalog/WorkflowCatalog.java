package io.runstream.ingress.catalog;

import io.runstream.ingress.domain.WorkflowGate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Stores validated, versioned workflow definitions and tells whether a workflow may start executions. */
public class WorkflowCatalog implements WorkflowGate {

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

    /** Validates and stores the definition as a new version, and publishes it. */
    public WorkflowVersion put(String tenant, String workflowId, DefinitionFormat format, String definition) {
        validator.validate(definition, format);
        WorkflowVersion saved = workflows.saveNewVersion(tenant, workflowId, format, definition, now());
        events.published(saved);
        return saved;
    }

    public WorkflowVersion get(String tenant, String workflowId) {
        return workflows.latest(tenant, workflowId).orElseThrow(() -> new WorkflowNotFoundException(workflowId));
    }

    public WorkflowVersion setActive(String tenant, String workflowId, boolean active) {
        WorkflowVersion changed = workflows.setActive(tenant, workflowId, active, now())
                .orElseThrow(() -> new WorkflowNotFoundException(workflowId));
        events.published(changed);
        return changed;
    }

    public List<WorkflowVersion> list(String tenant, String afterWorkflowId, int limit) {
        return workflows.list(tenant, afterWorkflowId, limit);
    }

    @Override
    public int startableVersion(String tenant, String workflowId) {
        WorkflowVersion latest = get(tenant, workflowId);
        if (!latest.active()) {
            throw new WorkflowInactiveException(workflowId);
        }
        return latest.version();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
