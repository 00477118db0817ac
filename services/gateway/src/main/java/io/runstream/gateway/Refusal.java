package io.runstream.gateway;

import io.runstream.api.dialect.ApiFailure;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request the edge answers itself: the failure to report and the headers that go with it. It is a status
 * exception, so a service that reads the request in-process ({@link LocalDispatch}) and meets it (a body not sent in
 * time) answers it with the same status, message and headers.
 */
final class Refusal extends ResponseStatusException {

    private final transient ApiFailure failure;
    private final transient HttpHeaders headers;

    Refusal(ApiFailure failure, HttpHeaders headers) {
        super(failure.status(), failure.message());
        this.failure = failure;
        this.headers = headers;
    }

    /** Refused requests are ordinary (a mistyped path, a slow client): no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    ApiFailure failure() {
        return failure;
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }
}
