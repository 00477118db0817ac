package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionFinishedException;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.StopNotPublishedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import io.runstream.api.auth.UnauthenticatedException;
import io.runstream.api.dialect.ApiErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The one place where failures become HTTP errors with a {@code {code, title, message}} body and no stack trace. */
@Component
@Order(-2)
class ApiExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final JsonMapper json;

    ApiExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        HttpStatusCode status;
        ApiError error;
        if (failure instanceof UnauthenticatedException) {
            status = HttpStatus.UNAUTHORIZED;
            error = new ApiError("UNAUTHENTICATED", "Unauthorized", failure.getMessage());
        } else if (failure instanceof InvalidCursorException) {
            status = HttpStatus.BAD_REQUEST;
            error = new ApiError("INVALID_CURSOR", "Bad Request", failure.getMessage());
        } else if (failure instanceof ExecutionFinishedException) {
            status = HttpStatus.CONFLICT;
            error = new ApiError("EXECUTION_FINISHED", "Conflict", failure.getMessage());
        } else if (failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof StopNotPublishedException
                || failure.getCause() instanceof StopNotPublishedException) {
            log.warn("Stop request not acknowledged: {}", failure.toString());
            status = HttpStatus.SERVICE_UNAVAILABLE;
            error = new ApiError("PUBLISH_FAILED", "Service Unavailable",
                    "The request could not be put on the log in time; retry it");
        } else if (failure instanceof ExecutionNotFoundException) {
            status = HttpStatus.NOT_FOUND;
            error = new ApiError("EXECUTION_NOT_FOUND", "Not Found", failure.getMessage());
        } else if (failure instanceof ServerWebInputException input) {
            status = HttpStatus.BAD_REQUEST;
            error = new ApiError("INVALID_REQUEST", "Bad Request", String.valueOf(input.getReason()));
        } else if (failure instanceof ResponseStatusException other) {
            status = other.getStatusCode();
            HttpStatus known = HttpStatus.resolve(status.value());
            error = new ApiError(known != null ? known.name() : "HTTP_" + status.value(),
                    known != null ? known.getReasonPhrase() : "Error", String.valueOf(other.getReason()));
        } else {
            log.error("Unexpected failure", failure);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            error = new ApiError("INTERNAL_ERROR", "Internal Server Error", "An unexpected error occurred");
        }
        return ApiErrors.write(exchange, json, status, error.code(), error.message());
    }
}
