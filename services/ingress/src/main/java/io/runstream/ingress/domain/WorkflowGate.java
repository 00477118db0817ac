package io.runstream.ingress.domain;

/** Port: whether a workflow may start executions now, and with which definition version. */
public interface WorkflowGate {

    /** The definition a new execution runs; throws if the workflow is unknown (404) or deactivated (422). */
    StartableWorkflow startable(String tenant, String workflowId);
}
