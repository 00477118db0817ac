package io.runstream.ingress.catalog;

/** Port: publishes each stored version and activation change to the compacted workflow topic. */
public interface WorkflowEvents {

    void published(WorkflowVersion version);
}
