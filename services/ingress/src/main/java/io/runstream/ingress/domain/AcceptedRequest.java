package io.runstream.ingress.domain;

import java.time.Instant;

/**
 * A request recorded under its idempotency key, with the workflow version it runs (null for requests recorded
 * before the catalog existed); {@code publishedAt} is null until the event is on the log.
 */
public record AcceptedRequest(ExecutionId executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, String idempotencyKey, String inputJson, Instant acceptedAt, Instant publishedAt) {

    AcceptedRequest published(Instant at) {
        return new AcceptedRequest(executionId, tenant, workflowId, workflowVersion, definition, idempotencyKey,
                inputJson, acceptedAt, at);
    }

    boolean isPublished() {
        return publishedAt != null;
    }

    boolean sameRequestAs(StartExecution command) {
        return inputJson.equals(command.inputJson());
    }
}
