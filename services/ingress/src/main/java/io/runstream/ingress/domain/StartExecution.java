package io.runstream.ingress.domain;

import java.util.Map;
import java.util.Objects;

/**
 * A caller's request to start one execution; {@code inputJson} is the canonical JSON of the input, and
 * {@code metadata} what the caller said about where the request comes from (sourceSystem, externalRef, ...).
 */
public record StartExecution(String tenant, String workflowId, String idempotencyKey, String inputJson,
        Map<String, String> metadata) {

    public StartExecution(String tenant, String workflowId, String idempotencyKey, String inputJson) {
        this(tenant, workflowId, idempotencyKey, inputJson, Map.of());
    }

    public StartExecution {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(inputJson, "inputJson");
    }
}
