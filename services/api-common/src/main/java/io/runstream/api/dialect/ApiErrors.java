package io.runstream.api.dialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an error in the model of the dialect the request came in: {@code {code, title, message}} for the canonical
 * API, {@code {code, message, details}} with a gRPC status code for Yandex, and the {@code {code, data, message,
 * requestId}} envelope (plus a stable {@code errorCode}) for Executions v1. The stable code is in every one.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, JsonMapper json, HttpStatusCode status, String code,
            String message) {
        return write(exchange, json, new ApiFailure(status, code, message));
    }

    /** The failure in the request's dialect, with its {@code Retry-After} if it has one. */
    public static Mono<Void> write(ServerWebExchange exchange, JsonMapper json, ApiFailure failure) {
        HttpStatusCode status = failure.status();
        String code = failure.code();
        String message = failure.message();
        var response = exchange.getResponse();
        if (failure.retryAfter() != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(failure.retryAfter().toSeconds()));
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        if (status.value() == HttpStatus.UNAUTHORIZED.value()) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        Object body = switch (ApiDialect.of(exchange)) {
            case CANONICAL -> new CanonicalError(code, title(status), message);
            case YANDEX -> new YandexError(grpcCode(status), message, List.of(Map.of("errorCode", code)));
            case EXECUTIONS_V1 -> envelope(status, code, message, RequestIds.of(exchange));
        };
        return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }

    private static Map<String, Object> envelope(HttpStatusCode status, String code, String message,
            String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status.value());
        body.put("data", null);
        body.put("message", message);
        body.put("requestId", requestId);
        body.put("errorCode", code);
        return body;
    }

    public static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error";
    }

    /** The gRPC status code Yandex Cloud APIs put in their error bodies for each HTTP status. */
    static int grpcCode(HttpStatusCode status) {
        return switch (status.value()) {
            case 400, 413, 415 -> 3;   // INVALID_ARGUMENT
            case 401 -> 16;            // UNAUTHENTICATED
            case 403 -> 7;             // PERMISSION_DENIED
            case 404 -> 5;             // NOT_FOUND
            case 405 -> 12;            // UNIMPLEMENTED
            case 408 -> 4;             // DEADLINE_EXCEEDED
            case 409, 422 -> 9;        // FAILED_PRECONDITION
            case 429 -> 8;             // RESOURCE_EXHAUSTED
            case 503 -> 14;            // UNAVAILABLE
            case 504 -> 4;             // DEADLINE_EXCEEDED
            default -> 13;             // INTERNAL
        };
    }

    /** The canonical and Flowker error body. */
    record CanonicalError(String code, String title, String message) {
    }

    /** The Yandex Cloud error body: gRPC code, message, and details naming Runstream's stable code. */
    record YandexError(int code, String message, List<Map<String, String>> details) {
    }
}
