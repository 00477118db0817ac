package io.runstream.worker.domain;

import java.util.concurrent.CompletionStage;

/** Port: runs one attempt of an execution and completes with its final report, SUCCEEDED or FAILED; never fails itself. */
public interface WorkflowRunner {

    CompletionStage<RunReport> run(RunOrder order);
}
