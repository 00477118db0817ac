package io.runstream.ingress.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A CloudEvent addressed to one execution, as it goes on the signals topic: the event in the CloudEvents JSON format,
 * stamped with the sender's tenant, and when it was accepted.
 */
public record Signal(UUID executionId, String tenant, String eventJson, Instant requestedAt) {
}
