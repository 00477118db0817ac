package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The worker's decision on a command.
 *
 * @param code why it was rejected (null when accepted)
 * @param status the execution's status after the decision, if the worker knows the execution
 */
public record CommandOutcome(UUID commandId, boolean accepted, String code, String message, String status,
        Instant decidedAt) {
}
