package io.runstream.worker.domain;

/** The state machine's order to the runner: run this attempt of this execution, or, with {@code cancel}, stop it. */
public record RunOrder(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, int attempt, String inputJson, boolean cancel) {
}
