package io.runstream.api.views;

import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The projection's long poll of one execution, offered to the ingress when both run in one JVM (the dev stack), so
 * that a start that waits for its result reads its view in-process instead of over loopback HTTP. Where the services
 * run on their own there is no such bean, and the ingress asks the projection's API.
 */
public interface LocalExecutionViews {

    /**
     * The tenant's execution as {@code GET /v1/executions/{id}?waitForTerminalSeconds=N} answers it: its view once
     * it has ended within {@code wait}, else its state when the wait is over; empty when it is not in the view by
     * then.
     */
    Mono<JsonNode> awaitTerminal(String tenant, UUID executionId, Duration wait);
}
