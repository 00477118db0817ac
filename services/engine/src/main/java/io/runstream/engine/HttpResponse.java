package io.runstream.engine;

import java.util.Map;

/**
 * What a runner reports for an HTTP activity: the response (status, headers, body), or the failure that left it
 * without one ({@code failure} is then set and {@code status} is 0, or the status of what refused it: the authority
 * of a token request, or the fetch of an OpenAPI document).
 *
 * @param request the request the runner built from an OpenAPI document (its credentials hidden), which the task's
 *     output shows; null when the runner sent the request it was given
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, Failure failure, String message,
        HttpRequest request) {

    /** Why there is no response. */
    public enum Failure {
        /** No connection or the connection broke. */
        UNREACHABLE,
        /** The response did not arrive in time. */
        TIMED_OUT,
        /** The response was larger than a record can carry. */
        TOO_LARGE,
        /** The request was refused before it was sent (an egress policy, say). */
        REFUSED,
        /** A secret it names could not be filled in: none of that name in the tenant, or no such field in it. */
        SECRET_UNAVAILABLE,
        /**
         * Its credential could not be had: the authority refused the token request (its status is the status), or
         * could not be reached (503).
         */
        AUTHENTICATION,
        /** The OpenAPI document's fetch answered {@code status}, outside 2xx. */
        DOCUMENT_UNAVAILABLE,
        /** The OpenAPI document is not one the parser reads (OpenAPI 3 or Swagger 2, JSON or YAML). */
        DOCUMENT_INVALID,
        /** The OpenAPI document has no operation with the call's {@code operationId}. */
        OPERATION_NOT_FOUND,
        /** The call left out a parameter, or the body, that the operation requires. */
        PARAMETER_MISSING
    }

    public HttpResponse(int status, Map<String, String> headers, byte[] body, Failure failure, String message) {
        this(status, headers, body, failure, message, null);
    }

    public static HttpResponse of(int status, Map<String, String> headers, byte[] body) {
        return new HttpResponse(status, Map.copyOf(headers), body, null, null);
    }

    public static HttpResponse failed(Failure failure, String message) {
        return failed(failure, message, 0);
    }

    /** A failure with the status of what refused it (0 for none). */
    public static HttpResponse failed(Failure failure, String message, int status) {
        return new HttpResponse(status, Map.of(), new byte[0], failure, message);
    }

    /** The same result, showing the request the runner built. */
    public HttpResponse withRequest(HttpRequest sent) {
        return new HttpResponse(status, headers, body, failure, message, sent);
    }
}
