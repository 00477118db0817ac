package io.runstream.api.dialect;

import io.runstream.api.auth.UnauthenticatedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The base of each service's one error handler: the service maps its own failures, this maps the ones every service
 * shares (authentication, bad input, oversized bodies, HTTP status exceptions, anything unexpected), and the result
 * is written in the request's dialect with no stack trace.
 */
public abstract class DialectErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DialectErrorHandler.class);

    /** How long a client is asked to wait after an outage of something the service needs. */
    private static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(5);

    private final JsonMapper json;

    protected DialectErrorHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public final Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        ApiFailure mapped = map(cause);
        ApiFailure api = mapped != null ? mapped : common(cause);
        if (cause instanceof ErrorResponse response) {
            // what goes with the status: Allow with a 405, Connection: close with a 408
            exchange.getResponse().getHeaders().addAll(response.getHeaders());
        }
        return ApiErrors.write(exchange, json, api);
    }

    /** The service's own failures; null for anything it does not know. */
    protected abstract ApiFailure map(Throwable failure);

    private static ApiFailure common(Throwable failure) {
        if (failure instanceof UnauthenticatedException) {
            return new ApiFailure(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", failure.getMessage());
        }
        if (DatabaseOutage.isCauseOf(failure)) {
            log.warn("Database unavailable: {}", rootMessage(failure));
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE",
                    "The database is unavailable or too slow just now; nothing was changed, send the request again "
                            + "later", RETRY_AFTER);
        }
        if (causedBy(failure, DataBufferLimitException.class)) {
            return new ApiFailure(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "Request body exceeds the configured limit");
        }
        if (failure instanceof ServerWebInputException input) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", describe(input));
        }
        if (failure instanceof UnsupportedMediaTypeStatusException media) {
            return new ApiFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "Content type '"
                    + (media.getContentType() == null ? "(none)" : media.getContentType()) + "' is not accepted "
                    + "here; send " + (media.getSupportedMediaTypes().isEmpty() ? "no body"
                    : "one of " + media.getSupportedMediaTypes()));
        }
        if (failure instanceof ResponseStatusException status) {
            HttpStatus known = HttpStatus.resolve(status.getStatusCode().value());
            return new ApiFailure(status.getStatusCode(),
                    known != null ? known.name() : "HTTP_" + status.getStatusCode().value(),
                    status.getReason() != null ? InputProblems.scrub(status.getReason())
                            : ApiErrors.title(status.getStatusCode()));
        }
        log.error("Unexpected failure", failure);
        return new ApiFailure(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "An unexpected error occurred");
    }

    /**
     * What the parser found wrong, in plain words with where; otherwise the reason, plus the first line of the
     * cause, with no Java names in either.
     */
    private static String describe(ServerWebInputException input) {
        String problem = InputProblems.describe(input);
        if (problem != null) {
            return problem;
        }
        String reason = input.getReason() != null ? InputProblems.scrub(input.getReason()) : "Invalid request";
        Throwable cause = input.getMostSpecificCause();
        if (cause != input && cause.getMessage() != null) {
            return reason + ": " + InputProblems.scrub(cause.getMessage()).lines().findFirst().orElse("");
        }
        return reason;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    protected static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
