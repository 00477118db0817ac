package io.runstream.projection.web;

import io.runstream.api.dialect.ApiFailure;
import io.runstream.api.dialect.DialectErrorHandler;
import io.runstream.projection.domain.ExecutionNotFoundException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The projection's one error handler: its own failures get stable codes; the shared ones are mapped by the base. */
@Component
@Order(-2)
class ApiExceptionHandler extends DialectErrorHandler {

    ApiExceptionHandler(JsonMapper json) {
        super(json);
    }

    @Override
    protected ApiFailure map(Throwable failure) {
        if (failure instanceof ExecutionNotFoundException) {
            return new ApiFailure(HttpStatus.NOT_FOUND, "EXECUTION_NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof InvalidCursorException) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_CURSOR", failure.getMessage());
        }
        if (failure instanceof TooManyStreamsException) {
            return new ApiFailure(HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_STREAMS", failure.getMessage(),
                    StreamQuota.RETRY_AFTER);
        }
        return null;
    }
}
