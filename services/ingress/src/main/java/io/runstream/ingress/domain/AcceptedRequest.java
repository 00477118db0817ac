package io.runstream.ingress.domain;

import java.time.Instant;

/** A request recorded under its idempotency key; {@code publishedAt} is null until the event is on the log. */
public record AcceptedRequest(ExecutionId executionId, String tenant, String workflowId, String idempotencyKey,
        String inputJson, Instant acceptedAt, Instant publishedAt) {

    boolean isPublished() {
        return publishedAt != null;
    }

    boolean sameRequestAs(StartExecution command) {
        return inputJson.equals(command.inputJson());
    }
}
