package io.runstream.ingress.catalog;

/** No workflow with this id exists for the caller's tenant. */
public class WorkflowNotFoundException extends RuntimeException {

    public WorkflowNotFoundException(String workflowId) {
        super("Workflow '" + workflowId + "' not found");
    }
}
