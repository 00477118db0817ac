package io.runstream.ingress.domain;

import java.util.Objects;

/** A caller's request to start one execution; {@code inputJson} is the canonical JSON of the input. */
public record StartExecution(String tenant, String workflowId, String idempotencyKey, String inputJson) {

    public StartExecution {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(inputJson, "inputJson");
    }
}
