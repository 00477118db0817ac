package io.runstream.projection.web;

import io.runstream.api.auth.Tenant;
import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionFinishedException;
import io.runstream.projection.domain.ExecutionStops;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Stops a live execution: 202 once ExecutionStopRequested is on the log (the worker then ends it CANCELLED with the
 * reason, interrupting whatever task it is in); 409 if it has already finished.
 */
@RestController
class ExecutionStopController {

    private final ExecutionWatcher watcher;
    private final ExecutionStops stops;
    private final Clock clock;
    private final Duration publishTimeout;

    ExecutionStopController(ExecutionWatcher watcher, ExecutionStops stops, Clock clock,
            ProjectionProperties properties) {
        this.watcher = watcher;
        this.stops = stops;
        this.clock = clock;
        this.publishTimeout = properties.watch().publishTimeout();
    }

    @PostMapping(path = "/v1/executions/{executionId}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<StopAccepted> stop(Tenant tenant, @PathVariable String executionId,
            @RequestBody(required = false) StopRequest body) {
        UUID id = ExecutionQueryController.parse(executionId);
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason();
        return watcher.read(tenant.id(), id)
                .flatMap(view -> {
                    if (view.status().isTerminal()) {
                        return Mono.error(new ExecutionFinishedException(id, view.status()));
                    }
                    return Mono.fromCompletionStage(() -> stops.requestStop(tenant.id(), id, reason, clock.instant()))
                            .timeout(publishTimeout)
                            .thenReturn(new StopAccepted(id.toString(), view.status().name(), reason));
                });
    }

    /** The optional body of a stop. */
    record StopRequest(String reason) {
    }

    /** A stop on its way: the status when it was asked for, and the reason it will carry. */
    record StopAccepted(String executionId, String status, String reason) {
    }
}
