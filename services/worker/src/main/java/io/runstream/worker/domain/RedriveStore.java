package io.runstream.worker.domain;

/** Port: executions that failed with a redrive point, kept for the redrive window. */
public interface RedriveStore {

    /** The execution as it last failed within the window, or null. */
    Execution find(String executionId, long now);
}
