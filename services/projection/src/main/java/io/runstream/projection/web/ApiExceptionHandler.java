package io.runstream.projection.web;

import io.runstream.api.dialect.ApiFailure;
import io.runstream.api.dialect.DialectErrorHandler;
import io.runstream.projection.domain.ExecutionFinishedException;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.StopNotPublishedException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The projection's one error handler: its own failures get stable codes; the shared ones are mapped by the base. */
@Component
@Order(-2)
class ApiExceptionHandler extends DialectErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

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
        if (failure instanceof ExecutionFinishedException) {
            return new ApiFailure(HttpStatus.CONFLICT, "EXECUTION_FINISHED", failure.getMessage());
        }
        if (failure instanceof TimeoutException || causedBy(failure, StopNotPublishedException.class)) {
            log.warn("Stop request not acknowledged: {}", failure.toString());
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "PUBLISH_FAILED",
                    "The request could not be put on the log in time; retry it");
        }
        return null;
    }
}
