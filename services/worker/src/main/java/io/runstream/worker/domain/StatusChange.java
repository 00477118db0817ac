package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One status change to publish; input and metadata ride on QUEUED, output on SUCCEEDED, error on the others, and a
 * RUNNING one may carry a phase.
 */
public record StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata, Phase phase) {

    /** A change whose phase is SUSPENDED if the execution is paused, none otherwise. */
    public StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
            ExecutionError error, Map<String, String> metadata) {
        this(execution, occurredAt, inputJson, outputJson, error, metadata,
                execution.isSuspended() ? Phase.SUSPENDED : null);
    }
}
