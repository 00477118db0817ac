package io.runstream.ingress.catalog;

/** The workflow is deactivated, so no new execution may start. */
public class WorkflowInactiveException extends RuntimeException {

    public WorkflowInactiveException(String workflowId) {
        super("Workflow '" + workflowId + "' is deactivated; activate it to start executions");
    }
}
