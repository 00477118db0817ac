package io.runstream.worker.domain;

/** Port: executions that ended within the retention, so late and duplicate inputs for them are recognized. */
public interface FinishedStore {

    /** True if the execution ended within the retention. */
    boolean contains(String executionId, long now);

    /** The status it ended with, if it ended within the retention for this tenant; null otherwise. */
    ExecutionStatus status(String executionId, String tenant, long now);
}
