package io.runstream.worker.domain;

import java.time.Instant;

/**
 * A stop from the older stops topic, which outside producers may write: it names the tenant it acts for, and
 * applies only to an execution of that tenant.
 */
public record StopRequest(String executionId, String tenant, String reason, Instant requestedAt) {
}
