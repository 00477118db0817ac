package io.runstream.ingress.domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Identity of an execution, derived deterministically from who asked, for what, under which idempotency key, and in
 * which idempotency window. Two requests with the same key less than a window apart meet in the key's record and
 * share the first one's id; a key reused after its record was forgotten (at least a window later) falls in a later
 * window and names a new execution, so its input is never mistaken for a duplicate of the old one.
 */
public record ExecutionId(UUID value) {

    public static ExecutionId derive(String tenant, String workflowId, String idempotencyKey, Duration window,
            Instant acceptedAt) {
        long windowMillis = window.toMillis();
        String name = tenant + '\u0000' + workflowId + '\u0000' + idempotencyKey + '\u0000' + windowMillis + ':'
                + Math.floorDiv(acceptedAt.toEpochMilli(), windowMillis);
        return new ExecutionId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
