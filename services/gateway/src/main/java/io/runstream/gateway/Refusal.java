package io.runstream.gateway;

import io.runstream.api.dialect.ApiFailure;
import org.springframework.http.HttpHeaders;

/** A request the edge answers itself, before any route: the failure to report and the headers that go with it. */
final class Refusal extends RuntimeException {

    private final transient ApiFailure failure;
    private final transient HttpHeaders headers;

    Refusal(ApiFailure failure, HttpHeaders headers) {
        super(failure.message(), null, false, false);
        this.failure = failure;
        this.headers = headers;
    }

    ApiFailure failure() {
        return failure;
    }

    HttpHeaders headers() {
        return headers;
    }
}
