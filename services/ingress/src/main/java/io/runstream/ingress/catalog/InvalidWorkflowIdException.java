package io.runstream.ingress.catalog;

import io.runstream.ingress.domain.WorkflowIds;

/** A workflow id outside the rule ({@link WorkflowIds#RULE}); such a workflow cannot be stored. */
public class InvalidWorkflowIdException extends RuntimeException {

    public InvalidWorkflowIdException(String workflowId) {
        super("Not a valid workflow id: " + WorkflowIds.RULE + " (got " + WorkflowIds.quoted(workflowId) + ")");
    }
}
