package io.runstream.api.dialect;

import java.time.Duration;
import org.springframework.http.HttpStatusCode;

/**
 * A failure as the API reports it: the HTTP status, a stable code and a readable message, and for a failure that
 * passes, how long to wait before sending the request again ({@code Retry-After}; null when not to).
 */
public record ApiFailure(HttpStatusCode status, String code, String message, Duration retryAfter) {

    public ApiFailure(HttpStatusCode status, String code, String message) {
        this(status, code, message, null);
    }
}
