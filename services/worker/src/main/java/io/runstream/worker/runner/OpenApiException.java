package io.runstream.worker.runner;

import io.runstream.engine.HttpResponse;

/** Why a {@code call: openapi} could not be built from its document: the failure the runner reports, and why. */
final class OpenApiException extends RuntimeException {

    private final HttpResponse.Failure failure;

    OpenApiException(HttpResponse.Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    /** The result the runner reports for it. */
    HttpResponse response() {
        return HttpResponse.failed(failure, getMessage());
    }
}
