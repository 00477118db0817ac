package io.runstream.gateway;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The edge's own failures in the API's error model, {@code {code, title, message}}: a path no route serves is 404,
 * a service that cannot be reached is 503, one that does not answer in time is 504. Responses from the services pass
 * through untouched.
 */
@Component
@Order(-2)
class GatewayErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final JsonMapper json;

    GatewayErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        HttpStatusCode status;
        String code;
        String message;
        if (causedBy(failure, ConnectException.class)) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            code = "SERVICE_UNAVAILABLE";
            message = "The service behind " + exchange.getRequest().getPath() + " cannot be reached; try again";
        } else if (causedBy(failure, TimeoutException.class)) {
            status = HttpStatus.GATEWAY_TIMEOUT;
            code = "GATEWAY_TIMEOUT";
            message = "The service behind " + exchange.getRequest().getPath() + " did not answer in time";
        } else if (failure instanceof ResponseStatusException e && e.getStatusCode().value() == 404) {
            status = HttpStatus.NOT_FOUND;
            code = "NOT_FOUND";
            message = "No API at " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
        } else if (failure instanceof ResponseStatusException e) {
            status = e.getStatusCode();
            HttpStatus known = HttpStatus.resolve(status.value());
            code = known != null ? known.name() : "HTTP_" + status.value();
            message = e.getReason() != null ? e.getReason() : "Request failed";
        } else {
            log.error("Unexpected failure at the edge", failure);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            code = "INTERNAL_ERROR";
            message = "An unexpected error occurred";
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        byte[] body = json.writeValueAsBytes(new EdgeError(code, known != null ? known.getReasonPhrase() : "Error",
                message));
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The API's canonical error body. */
    record EdgeError(String code, String title, String message) {
    }
}
