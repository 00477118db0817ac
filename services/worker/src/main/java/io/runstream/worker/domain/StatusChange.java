package io.runstream.worker.domain;

import java.time.Instant;
import java.util.Map;

/** One status change to publish; input and metadata ride on QUEUED, output on SUCCEEDED, error on the others. */
public record StatusChange(Execution execution, Instant occurredAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata) {
}
