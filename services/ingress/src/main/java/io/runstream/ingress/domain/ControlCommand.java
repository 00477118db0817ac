package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A command for one execution, as published on the control topic.
 *
 * @param reason why the caller asked; a stop's reason becomes the CANCELLED error's message (null for none)
 * @param expectedAttempt a precondition: the command applies only to this attempt (null for any)
 */
public record ControlCommand(UUID commandId, UUID executionId, String tenant, CommandKind kind, String reason,
        Integer expectedAttempt, Instant requestedAt) {
}
