package io.runstream.worker.domain;

import java.util.concurrent.CompletionStage;

/** Port: runs attempts of executions, and stops them on request. */
public interface WorkflowRunner {

    /**
     * Runs one attempt; completes with its final report (SUCCEEDED, FAILED or TIMED_OUT), or with null if the attempt
     * was cancelled. Never completes exceptionally.
     */
    CompletionStage<RunReport> run(RunOrder order);

    /** Stops the attempt if this runner is running it, wherever the run is; false if it is not running here. */
    boolean cancel(String executionId, int attempt);
}
