package io.runstream.projection.domain;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Port: asks the worker to stop an execution; completes once the request is on the log. */
public interface ExecutionStops {

    CompletionStage<Void> requestStop(String tenant, UUID executionId, String reason, Instant requestedAt);
}
