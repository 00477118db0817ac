package io.runstream.ingress.catalog;

/** Port: publishes each stored version and activation change to the compacted workflow topic. */
public interface WorkflowEvents {

    /**
     * Publishes the workflow's state, once the log acknowledges it; throws
     * {@link io.runstream.ingress.domain.RecordRefusedException} when the log refuses the record for good.
     */
    void published(WorkflowVersion version);
}
