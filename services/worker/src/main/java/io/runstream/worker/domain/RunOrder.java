package io.runstream.worker.domain;

/** The state machine's order to the runner: run this attempt of this execution. */
public record RunOrder(String executionId, String tenant, String workflowId, int attempt, String inputJson) {
}
