package io.runstream.ingress.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Identity of an execution, derived deterministically from who asked, for what, under which idempotency key. */
public record ExecutionId(UUID value) {

    public static ExecutionId derive(String tenant, String workflowId, String idempotencyKey) {
        String name = tenant + '\u0000' + workflowId + '\u0000' + idempotencyKey;
        return new ExecutionId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
