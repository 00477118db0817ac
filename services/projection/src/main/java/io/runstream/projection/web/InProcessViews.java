package io.runstream.projection.web;

import io.runstream.api.views.LocalExecutionViews;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The long poll of {@code GET /v1/executions/{id}?waitForTerminalSeconds=N} for a service in this JVM: the same
 * watch and the same view, as a JSON tree written by this service's mapper, without the HTTP round trip. The caller
 * has authenticated the tenant already.
 */
@Component
class InProcessViews implements LocalExecutionViews {

    private final ExecutionWatcher watcher;
    private final JsonMapper json;

    InProcessViews(ExecutionWatcher watcher, JsonMapper json) {
        this.watcher = watcher;
        this.json = json;
    }

    @Override
    public Mono<JsonNode> awaitTerminal(String tenant, UUID executionId, Duration wait) {
        return watcher.await(tenant, executionId, WatchEnd.TERMINAL, wait)
                .map(view -> json.<JsonNode>valueToTree(ExecutionResponse.of(view, json)))
                .onErrorResume(ExecutionNotFoundException.class, notInTheView -> Mono.empty());
    }
}
