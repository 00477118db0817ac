package io.runstream.ingress.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runstream.api.auth.Tenant;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.CommandKind;
import io.runstream.ingress.domain.ControlResult;
import io.runstream.ingress.domain.ExecutionControl;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Commands for one execution, on the canonical API and the Yandex dialect. A command is answered 202 once it is on
 * the control topic; with {@code ?waitSeconds=N} the answer waits up to N seconds for the worker's decision: 200 if
 * it was accepted (with the execution's status, sequence and redrive count after it), 404 or 409 with the worker's
 * code if it was rejected, still 202 if it was not decided in time.
 */
@RestController
class ExecutionControlController {

    private final ExecutionControl control;
    private final Duration maxWait;
    private final Duration dialectWait;
    private final int maxReasonLength;

    ExecutionControlController(ExecutionControl control, IngressProperties properties) {
        this.control = control;
        this.maxWait = properties.control().maxWait();
        this.dialectWait = properties.control().dialectWait();
        this.maxReasonLength = properties.limits().maxReasonLength();
    }

    @PostMapping(path = "/v1/executions/{executionId}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<CommandResponse>> stop(Tenant tenant, @PathVariable String executionId,
            @RequestParam(name = "waitSeconds", required = false) Integer waitSeconds,
            @RequestBody(required = false) CommandRequest body) {
        return submit(tenant, executionId, CommandKind.STOP, waitSeconds, body);
    }

    @PostMapping(path = "/v1/executions/{executionId}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<CommandResponse>> pause(Tenant tenant, @PathVariable String executionId,
            @RequestParam(name = "waitSeconds", required = false) Integer waitSeconds,
            @RequestBody(required = false) CommandRequest body) {
        return submit(tenant, executionId, CommandKind.PAUSE, waitSeconds, body);
    }

    @PostMapping(path = "/v1/executions/{executionId}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<CommandResponse>> resume(Tenant tenant, @PathVariable String executionId,
            @RequestParam(name = "waitSeconds", required = false) Integer waitSeconds,
            @RequestBody(required = false) CommandRequest body) {
        return submit(tenant, executionId, CommandKind.RESUME, waitSeconds, body);
    }

    /** Reopens a FAILED or TIMED_OUT execution RUNNING from where it failed, if the worker still may. */
    @PostMapping(path = "/v1/executions/{executionId}/redrive", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<CommandResponse>> redrive(Tenant tenant, @PathVariable String executionId,
            @RequestParam(name = "waitSeconds", required = false) Integer waitSeconds,
            @RequestBody(required = false) CommandRequest body) {
        return submit(tenant, executionId, CommandKind.REDRIVE, waitSeconds, body);
    }

    @PostMapping(path = "/workflows/v1/execution/{executionId}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, String>> yandexStop(Tenant tenant, @PathVariable String executionId) {
        return yandex(tenant, executionId, "Stopped through the Yandex Workflows API");
    }

    @PostMapping(path = "/workflows/v1/execution/{executionId}/terminate",
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, String>> yandexTerminate(Tenant tenant, @PathVariable String executionId) {
        return yandex(tenant, executionId, "Terminated through the Yandex Workflows API");
    }

    private Mono<ResponseEntity<CommandResponse>> submit(Tenant tenant, String executionId, CommandKind kind,
            Integer waitSeconds, CommandRequest body) {
        UUID id = ExecutionIds.parse(executionId);
        Duration wait = wait(waitSeconds);
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason();
        if (reason != null && reason.length() > maxReasonLength) {
            throw new ServerWebInputException("reason is " + reason.length() + " characters long; at most "
                    + maxReasonLength + " are accepted (runstream.ingress.limits.max-reason-length)");
        }
        Integer expectedAttempt = body == null ? null : body.expectedAttempt();
        if (expectedAttempt != null && expectedAttempt < 1) {
            throw new ServerWebInputException("expectedAttempt must be 1 or more");
        }
        UUID commandId = commandId(body);
        return send(commandId, tenant, id, kind, reason, expectedAttempt, wait)
                .map(ExecutionControlController::toResponse);
    }

    /** Yandex's stop answers {@code {executionId}}; it waits for the decision, so a finished execution is a 409. */
    private Mono<Map<String, String>> yandex(Tenant tenant, String executionId, String reason) {
        UUID id = ExecutionIds.parse(executionId);
        return send(UUID.randomUUID(), tenant, id, CommandKind.STOP, reason, null, dialectWait)
                .map(result -> Map.of("executionId", id.toString()));
    }

    /** A send may block while the producer fetches metadata or its buffer is full, so it runs off the event loop. */
    private Mono<ControlResult> send(UUID commandId, Tenant tenant, UUID id, CommandKind kind, String reason,
            Integer expectedAttempt, Duration wait) {
        return RequestWork.blocking(() -> control.submit(commandId, tenant.id(), id, kind, reason, expectedAttempt,
                        wait))
                .flatMap(RequestWork::sent);
    }

    /** The caller's command id, for a retry that must not be decided twice, or a new one. */
    private static UUID commandId(CommandRequest body) {
        if (body == null || body.commandId() == null) {
            return UUID.randomUUID();
        }
        try {
            return UUID.fromString(body.commandId());
        } catch (IllegalArgumentException e) {
            throw new ServerWebInputException("commandId must be a UUID");
        }
    }

    private Duration wait(Integer waitSeconds) {
        if (waitSeconds == null) {
            return Duration.ZERO;
        }
        if (waitSeconds < 0 || waitSeconds > maxWait.toSeconds()) {
            throw new ServerWebInputException("waitSeconds must be between 0 and " + maxWait.toSeconds());
        }
        return Duration.ofSeconds(waitSeconds);
    }

    private static ResponseEntity<CommandResponse> toResponse(ControlResult result) {
        var command = result.command();
        var outcome = result.outcome();
        CommandResponse body = outcome == null
                ? new CommandResponse(command.executionId().toString(), command.commandId().toString(),
                        command.kind().name(), "PENDING", null, null, null, command.reason())
                : new CommandResponse(command.executionId().toString(), command.commandId().toString(),
                        command.kind().name(), "ACCEPTED", outcome.status(), outcome.sequence(),
                        outcome.redriveCount(), command.reason());
        return ResponseEntity.status(outcome == null ? HttpStatus.ACCEPTED : HttpStatus.OK).body(body);
    }

    /**
     * The optional body of a command.
     *
     * @param reason why; a stop's reason becomes the CANCELLED error's message
     * @param expectedAttempt apply only if the execution is in this attempt (409 ATTEMPT_MISMATCH otherwise)
     * @param commandId the caller's id for the command (a UUID): sent again with the same id, the command is not
     *     decided twice and gets the outcome it got; another command under the same id is 409 COMMAND_ID_REUSED
     */
    record CommandRequest(String reason, Integer expectedAttempt, String commandId) {
    }

    /**
     * A command on the log.
     *
     * @param outcome PENDING (not decided within the wait) or ACCEPTED
     * @param status the execution's status after an accepted command (absent while pending)
     * @param sequence the execution's status sequence after an accepted command, when the worker knows it: the view
     *        shows the command's effect once it reaches this sequence (absent while pending)
     * @param redriveCount how many times the execution was redriven, after an accepted command (absent while pending)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CommandResponse(String executionId, String commandId, String command, String outcome, String status,
            Long sequence, Integer redriveCount, String reason) {

        CommandResponse {
            command = command.toLowerCase(Locale.ROOT);
        }
    }
}
