package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.StartExecution;
import io.runstream.ingress.domain.StartOutcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Starts executions: 201 for a new one, 200 when the idempotency key replays an earlier one. */
@RestController
class ExecutionController {

    private static final int MAX_KEY_LENGTH = 255;

    private final ExecutionIntake intake;
    private final JsonCanonicalizer json;

    ExecutionController(ExecutionIntake intake, JsonCanonicalizer json) {
        this.intake = intake;
        this.json = json;
    }

    @PostMapping(path = "/v1/workflows/{workflowId}/executions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ExecutionCreated>> start(Tenant tenant, @PathVariable String workflowId,
            @RequestHeader("Idempotency-Key") String idempotencyKey, @RequestBody StartExecutionRequest body) {
        TextInput.check("Idempotency-Key", idempotencyKey, MAX_KEY_LENGTH);
        if (body.inputData() == null || !body.inputData().isObject()) {
            throw new ServerWebInputException("inputData is required and must be a JSON object");
        }
        StartExecution command = new StartExecution(tenant.id(), workflowId, idempotencyKey, json.canonical(body.inputData()));
        return Mono.fromCallable(() -> intake.start(command))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::fromCompletionStage)
                .map(ExecutionController::toResponse);
    }

    private static ResponseEntity<ExecutionCreated> toResponse(StartOutcome outcome) {
        var request = outcome.request();
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ExecutionCreated(request.executionId().toString(), request.workflowId(), "pending",
                        request.acceptedAt()));
    }
}
