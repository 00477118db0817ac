package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.ingress.events.EventIntake;
import io.runstream.ingress.events.EventReader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/events}: CloudEvents in the HTTP binding (structured, binary or batch), answered 202 once every
 * event of the request is on the event log, each stamped with the API key's tenant.
 */
@RestController
class EventController {

    /** The answer: every event accepted, by source and id. */
    record EventsAccepted(List<EventIntake.Accepted> accepted) {
    }

    private final EventIntake intake;
    private final EventReader reader = new EventReader();

    EventController(EventIntake intake) {
        this.intake = intake;
    }

    @PostMapping(path = "/v1/events", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<EventsAccepted>> send(Tenant tenant, ServerHttpRequest request,
            @RequestBody(required = false) byte[] body) {
        HttpHeaders headers = request.getHeaders();
        Map<String, String> lowerCase = new HashMap<>();
        headers.forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        MediaType contentType = headers.getContentType();
        return RequestWork.here(() -> intake.accept(tenant.id(),
                reader.read(contentType == null ? null : contentType.toString(), lowerCase,
                        body == null ? new byte[0] : body)))
                .flatMap(RequestWork::sent)
                .map(accepted -> ResponseEntity.status(HttpStatus.ACCEPTED).body(new EventsAccepted(accepted)));
    }
}
