package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A request recorded under its idempotency key, with the workflow version it runs (null for requests recorded
 * before the catalog existed); {@code publishedAt} is null until the event is on the log, and {@code refusal} says
 * why the log refused it for good, if it did (then it is never published).
 */
public record AcceptedRequest(ExecutionId executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, String idempotencyKey, String inputJson, Map<String, String> metadata, Instant acceptedAt,
        Instant publishedAt, String refusal) {

    public AcceptedRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    AcceptedRequest published(Instant at) {
        return new AcceptedRequest(executionId, tenant, workflowId, workflowVersion, definition, idempotencyKey,
                inputJson, metadata, acceptedAt, at, null);
    }

    boolean isRefused() {
        return refusal != null;
    }

    boolean isPublished() {
        return publishedAt != null;
    }

    /** The same key is a replay only with the same input and the same metadata; anything else reuses the key. */
    boolean sameRequestAs(StartExecution command) {
        return inputJson.equals(command.inputJson()) && metadata.equals(command.metadata());
    }
}
