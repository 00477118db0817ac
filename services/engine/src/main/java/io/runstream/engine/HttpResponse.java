package io.runstream.engine;

import java.util.Map;

/**
 * What a runner reports for an HTTP activity: the response (status, headers, body), or the failure that left it
 * without one ({@code failure} is then set and {@code status} is 0).
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, Failure failure, String message) {

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
        AUTHENTICATION
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
}
