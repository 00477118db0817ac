package io.runstream.ingress.web;

import io.runstream.ingress.catalog.InvalidDefinitionException;
import io.runstream.ingress.catalog.WorkflowInactiveException;
import io.runstream.ingress.catalog.WorkflowNotFoundException;
import io.runstream.ingress.domain.IdempotencyKeyReusedException;
import io.runstream.ingress.domain.PublishFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
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

/**
 * The one place where failures become HTTP errors: a stable code and a message, written in the error model of the
 * request's dialect, never with a stack trace.
 */
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
        Mapped mapped = map(failure);
        return ApiErrors.write(exchange, json, mapped.status(), mapped.code(), mapped.message());
    }

    private Mapped map(Throwable failure) {
        if (causedBy(failure, DataBufferLimitException.class) || failure instanceof PayloadTooLargeException) {
            return of(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", failure instanceof PayloadTooLargeException
                    ? failure.getMessage() : "Request body exceeds the configured limit");
        }
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            return map(failure.getCause());
        }
        if (failure instanceof UnauthenticatedException) {
            return of(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", failure.getMessage());
        }
        if (failure instanceof WorkflowNotFoundException) {
            return of(HttpStatus.NOT_FOUND, "WORKFLOW_NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof WorkflowInactiveException) {
            return of(HttpStatus.UNPROCESSABLE_CONTENT, "WORKFLOW_INACTIVE", failure.getMessage());
        }
        if (failure instanceof InvalidDefinitionException) {
            return of(HttpStatus.BAD_REQUEST, "INVALID_DEFINITION", failure.getMessage());
        }
        if (failure instanceof IdempotencyKeyReusedException) {
            return of(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED", failure.getMessage());
        }
        if (failure instanceof PublishFailedException) {
            log.warn("{}", failure.getMessage(), failure.getCause());
            return of(HttpStatus.SERVICE_UNAVAILABLE, "PUBLISH_DEFERRED", failure.getMessage());
        }
        if (failure instanceof ServerWebInputException input) {
            return of(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", describe(input));
        }
        if (failure instanceof ResponseStatusException status) {
            return of(status.getStatusCode(), codeOf(status.getStatusCode()), status.getReason() != null
                    ? status.getReason() : ApiErrors.title(status.getStatusCode()));
        }
        log.error("Unexpected failure", failure);
        return of(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred");
    }

    private static String describe(ServerWebInputException input) {
        String reason = input.getReason() != null ? input.getReason() : "Invalid request";
        Throwable cause = input.getMostSpecificCause();
        if (cause != input && cause.getMessage() != null) {
            String detail = cause.getMessage().lines().findFirst().orElse("");
            int sourceAt = detail.indexOf(" (for ");
            return reason + ": " + (sourceAt > 0 ? detail.substring(0, sourceAt) : detail);
        }
        return reason;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String codeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.name() : "HTTP_" + status.value();
    }

    private static Mapped of(HttpStatusCode status, String code, String message) {
        return new Mapped(status, code, message);
    }

    private record Mapped(HttpStatusCode status, String code, String message) {
    }
}
