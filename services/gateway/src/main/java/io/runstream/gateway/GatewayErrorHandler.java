package io.runstream.gateway;

import io.runstream.api.dialect.ApiErrors;
import io.runstream.api.dialect.ApiFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The edge's own failures in the error model of the request's dialect: what {@link EdgeFilter} refuses, a path no
 * route serves (404), a body not sent in time ({@link RequestDeadline}, 408), a service that cannot be reached or
 * went away (503, with Retry-After), one that does not answer in time (504). Responses from the services pass
 * through untouched.
 */
@Component
@Order(-2)
class GatewayErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    /** How long a client is asked to wait before it tries a service that cannot be reached again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final JsonMapper json;

    GatewayErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        ApiFailure api = map(exchange, failure);
        HttpHeaders headers = exchange.getResponse().getHeaders();
        Refusal refusal = refusal(failure);
        if (refusal != null) {
            headers.addAll(refusal.getHeaders());
        } else if (failure instanceof ErrorResponse response) {
            headers.addAll(response.getHeaders());
        }
        return ApiErrors.write(exchange, json, api);
    }

    private static ApiFailure map(ServerWebExchange exchange, Throwable failure) {
        String path = exchange.getRequest().getPath().value();
        Refusal refusal = refusal(failure);
        if (refusal != null) {
            return refusal.failure();
        }
        if (causedBy(failure, t -> t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof PrematureCloseException)) {
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", "The service behind "
                    + path + " cannot be reached; send the request again later", RETRY_AFTER);
        }
        if (causedBy(failure, TimeoutException.class::isInstance)) {
            return new ApiFailure(HttpStatus.GATEWAY_TIMEOUT, "GATEWAY_TIMEOUT",
                    "The service behind " + path + " did not answer in time");
        }
        if (failure instanceof ResponseStatusException e && e.getStatusCode().value() == 404) {
            return new ApiFailure(HttpStatus.NOT_FOUND, "NOT_FOUND",
                    "No API at " + exchange.getRequest().getMethod() + " " + path);
        }
        if (failure instanceof ResponseStatusException e) {
            HttpStatus known = HttpStatus.resolve(e.getStatusCode().value());
            return new ApiFailure(e.getStatusCode(), known != null ? known.name() : "HTTP_" + e.getStatusCode().value(),
                    e.getReason() != null ? e.getReason() : ApiErrors.title(e.getStatusCode()));
        }
        log.error("Unexpected failure at the edge", failure);
        return new ApiFailure(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred");
    }

    /** What the edge refused, also when it comes back as the cause of a failed call to a service. */
    private static Refusal refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refusal refusal) {
                return refusal;
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
