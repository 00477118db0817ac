package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.ingress.events.EventReader;
import io.runstream.ingress.events.SignalIntake;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/executions/{executionId}/signals}: one CloudEvent in the HTTP binding (structured or binary) for
 * one execution, answered 202 once it is on the signals topic, stamped with the API key's tenant.
 */
@RestController
class SignalController {

    /** The answer: the execution the event was sent to, and the event by its id and source. */
    record SignalAccepted(String executionId, String eventId, String source) {
    }

    private final SignalIntake intake;
    private final EventReader reader = new EventReader();

    SignalController(SignalIntake intake) {
        this.intake = intake;
    }

    /** A send may block while the producer fetches metadata or its buffer is full, so it runs off the event loop. */
    @PostMapping(path = "/v1/executions/{executionId}/signals", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<SignalAccepted>> signal(Tenant tenant, @PathVariable String executionId,
            ServerHttpRequest request, @RequestBody(required = false) byte[] body) {
        UUID id = ExecutionIds.parse(executionId);
        HttpHeaders headers = request.getHeaders();
        Map<String, String> lowerCase = new HashMap<>();
        headers.forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        MediaType contentType = headers.getContentType();
        return RequestWork.blocking(() -> intake.accept(tenant.id(), id,
                        reader.readOne("A signal", contentType == null ? null : contentType.toString(), lowerCase,
                                body == null ? new byte[0] : body)))
                .flatMap(RequestWork::sent)
                .map(accepted -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new SignalAccepted(
                        accepted.executionId().toString(), accepted.eventId(), accepted.source())));
    }
}
