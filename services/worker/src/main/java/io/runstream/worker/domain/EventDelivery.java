package io.runstream.worker.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event for an execution: routed by the correlation index to one of its listens, or sent to it alone (a signal,
 * {@code subscription} 0).
 *
 * @param tenant the tenant the event belongs to, which must be the execution's
 * @param subscription the listen's number in the execution, or 0 for a signal
 * @param indexKey the listen's key in the correlation index, to close it there if the execution no longer has it
 *     (null for a signal)
 * @param event the CloudEvent, structured JSON
 * @param acceptedAt when the event log (or the ingress, for a signal) took it
 * @param buffered true when the event arrived before the listen opened and was kept for it
 * @param probe true for no event: the index asks whether the execution still has the listen, long open
 * @param refused true for no event: the index did not take the listen (its tenant has as many that every event
 *     visits as it allows), which fails
 */
public record EventDelivery(String executionId, String tenant, long subscription, String indexKey, JsonNode event,
        Instant acceptedAt, boolean buffered, boolean probe, boolean refused) {
}
