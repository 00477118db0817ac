package io.runstream.projection.web;

import io.runstream.auth.Tenant;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionViews;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Reads executions from the view. */
@RestController
class ExecutionQueryController {

    private final ExecutionViews views;
    private final JsonMapper json;

    ExecutionQueryController(ExecutionViews views, JsonMapper json) {
        this.views = views;
        this.json = json;
    }

    @GetMapping(path = "/v1/executions/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ExecutionResponse> get(Tenant tenant, @PathVariable String executionId) {
        UUID id = parse(executionId);
        return Mono.fromCallable(() -> views.find(tenant.id(), id)
                        .map(view -> ExecutionResponse.of(view, json))
                        .orElseThrow(() -> new ExecutionNotFoundException(id)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** An id that is not a UUID cannot name an execution, so it is simply not found. */
    private static UUID parse(String executionId) {
        try {
            return UUID.fromString(executionId);
        } catch (IllegalArgumentException e) {
            throw new ExecutionNotFoundException(executionId);
        }
    }
}
