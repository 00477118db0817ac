package io.runstream.ingress.catalog;

import io.runstream.ingress.domain.WorkflowIds;

/** No workflow with this id exists for the caller's tenant. */
public class WorkflowNotFoundException extends RuntimeException {

    public WorkflowNotFoundException(String workflowId) {
        super("Workflow " + WorkflowIds.quoted(workflowId) + " not found");
    }
}
