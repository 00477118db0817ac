package io.runstream.worker.domain;

import io.runstream.engine.Definition;
import io.runstream.engine.Definitions;
import java.time.Instant;

/**
 * Starts a new execution from its request: a request without a definition runs the current version of its workflow
 * from the catalog, if it may; one whose workflow is unknown or deactivated, or whose definition does not compile,
 * is recorded as rejected with the reason.
 */
final class Starts {

    private final ExecutionStateMachine machine;
    private final Definitions definitions;
    private final DefinitionStore catalog;

    Starts(ExecutionStateMachine machine, Definitions definitions, DefinitionStore catalog) {
        this.machine = machine;
        this.definitions = definitions;
        this.catalog = catalog;
    }

    Decision start(ExecutionRequest request, Instant now) {
        if (request.rejection() != null) {
            return machine.onRejected(null, request, request.rejection(), now);
        }
        ExecutionRequest pinned = request;
        if (request.definition() == null) {
            DefinitionStore.WorkflowVersion workflow = catalog.current(request.tenant(), request.workflowId());
            if (workflow == null) {
                return machine.onRejected(null, request, new ExecutionError("WORKFLOW_NOT_FOUND", "Workflow '"
                        + request.workflowId() + "' is not defined for tenant '" + request.tenant() + "'"), now);
            }
            if (!workflow.active()) {
                return machine.onRejected(null, request, new ExecutionError("WORKFLOW_INACTIVE", "Workflow '"
                        + request.workflowId() + "' is deactivated; activate it to start executions"), now);
            }
            pinned = request.withDefinition(workflow.version(), workflow.definition());
        }
        Definition definition;
        try {
            definition = definitions.get(pinned.definition());
        } catch (Definitions.InvalidDefinitionException e) {
            return machine.onRejected(null, pinned, new ExecutionError("WORKFLOW_DEFINITION_INVALID",
                    e.getMessage()), now);
        }
        if (!definition.problems().isEmpty()) {
            // what the ingress refuses when a definition is stored; a producer writing to Kafka may still send it
            return machine.onRejected(null, pinned, new ExecutionError("WORKFLOW_DEFINITION_INVALID",
                    new Definitions.InvalidDefinitionException(definition.problems()).getMessage()), now);
        }
        // the state keeps a reference; the text is kept once, under its hash
        ExecutionRequest referenced = pinned.withDefinition(catalog.remember(pinned.definition()));
        return machine.onRequested(null, referenced, definition, now);
    }
}
