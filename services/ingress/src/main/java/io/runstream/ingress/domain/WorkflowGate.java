package io.runstream.ingress.domain;

/** Port: whether a workflow may start executions now, and with which definition version. */
public interface WorkflowGate {

    /** The version a new execution runs; throws if the workflow is unknown (404) or deactivated (422). */
    int startableVersion(String tenant, String workflowId);
}
