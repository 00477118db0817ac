package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.StartExecution;
import io.runstream.ingress.domain.StartOutcome;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Starts executions: 201 for a new one, 200 when the idempotency key replays an earlier one. With
 * {@code ?waitForTerminalSeconds=N}, the answer waits up to N seconds for the execution to end, and is then 200 with
 * its view, as {@code GET /v1/executions/{id}} shows it; an execution still running then is answered as without it.
 */
@RestController
class ExecutionController {

    private static final int MAX_KEY_LENGTH = 255;

    private final ExecutionIntake intake;
    private final JsonCanonicalizer json;
    private final TerminalViews views;
    private final Duration maxWait;

    ExecutionController(ExecutionIntake intake, JsonCanonicalizer json, TerminalViews views,
            IngressProperties properties) {
        this.intake = intake;
        this.json = json;
        this.views = views;
        this.maxWait = properties.startWait().maxWait();
    }

    @PostMapping(path = "/v1/workflows/{workflowId}/executions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> start(Tenant tenant, @PathVariable String workflowId,
            @RequestHeader("Idempotency-Key") String idempotencyKey,
            @RequestParam(name = "waitForTerminalSeconds", required = false) String waitForTerminalSeconds,
            @RequestBody StartExecutionRequest body, ServerHttpRequest http) {
        TextInput.check("Idempotency-Key", idempotencyKey, MAX_KEY_LENGTH);
        Duration wait = wait(waitForTerminalSeconds);
        if (body.inputData() == null || !body.inputData().isObject()) {
            throw new ServerWebInputException("inputData is required and must be a JSON object");
        }
        StartExecution command = new StartExecution(tenant.id(), workflowId, idempotencyKey, json.canonical(body.inputData()));
        return RequestWork.blocking(() -> intake.start(command))
                .flatMap(RequestWork::sent)
                .flatMap(outcome -> wait.isZero() ? Mono.just(toResponse(outcome))
                        : views.ended(tenant.id(), outcome.request().executionId().value(), wait,
                                http.getHeaders())
                                .map(view -> ResponseEntity.ok().<Object>body(view))
                                .defaultIfEmpty(toResponse(outcome)));
    }

    /** The wait asked for, refused with a message that names it before anything is started. */
    private Duration wait(String waitForTerminalSeconds) {
        if (waitForTerminalSeconds == null) {
            return Duration.ZERO;
        }
        long seconds;
        try {
            seconds = Long.parseLong(waitForTerminalSeconds.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > maxWait.toSeconds()) {
            throw new ServerWebInputException("waitForTerminalSeconds must be a whole number of seconds from 0 to "
                    + maxWait.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    private static ResponseEntity<Object> toResponse(StartOutcome outcome) {
        var request = outcome.request();
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ExecutionCreated(request.executionId().toString(), request.workflowId(), "pending",
                        request.acceptedAt()));
    }
}
