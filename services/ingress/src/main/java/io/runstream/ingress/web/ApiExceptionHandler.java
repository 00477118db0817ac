package io.runstream.ingress.web;

import io.runstream.api.dialect.ApiFailure;
import io.runstream.api.dialect.DialectErrorHandler;
import io.runstream.ingress.catalog.InvalidDefinitionException;
import io.runstream.ingress.catalog.InvalidWorkflowIdException;
import io.runstream.ingress.catalog.WorkflowInactiveException;
import io.runstream.ingress.catalog.VersionNotFoundException;
import io.runstream.ingress.catalog.WorkflowNotFoundException;
import io.runstream.ingress.domain.CommandNotPublishedException;
import io.runstream.ingress.domain.CommandRejectedException;
import io.runstream.ingress.domain.IdempotencyKeyReusedException;
import io.runstream.ingress.domain.InvalidInputException;
import io.runstream.ingress.domain.PublishFailedException;
import io.runstream.ingress.domain.RequestTooLargeException;
import io.runstream.ingress.events.EventTooLargeException;
import io.runstream.ingress.events.EventsNotPublishedException;
import io.runstream.ingress.events.InvalidEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The ingress's one error handler: its own failures get stable codes; the shared ones are mapped by the base. */
@Component
@Order(-2)
class ApiExceptionHandler extends DialectErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    ApiExceptionHandler(JsonMapper json) {
        super(json);
    }

    @Override
    protected ApiFailure map(Throwable failure) {
        if (failure instanceof PayloadTooLargeException) {
            return new ApiFailure(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", failure.getMessage());
        }
        if (failure instanceof RequestTooLargeException) {
            return new ApiFailure(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", failure.getMessage());
        }
        if (failure instanceof EventTooLargeException) {
            return new ApiFailure(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", failure.getMessage());
        }
        if (failure instanceof InvalidEventException) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_EVENT", failure.getMessage());
        }
        if (failure instanceof EventsNotPublishedException) {
            log.warn("{}", failure.getMessage());
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "PUBLISH_FAILED", failure.getMessage());
        }
        if (failure instanceof InvalidWorkflowIdException) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_WORKFLOW_ID", failure.getMessage());
        }
        if (failure instanceof WorkflowNotFoundException) {
            return new ApiFailure(HttpStatus.NOT_FOUND, "WORKFLOW_NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof VersionNotFoundException) {
            return new ApiFailure(HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof WorkflowInactiveException) {
            return new ApiFailure(HttpStatus.UNPROCESSABLE_CONTENT, "WORKFLOW_INACTIVE", failure.getMessage());
        }
        if (failure instanceof InvalidDefinitionException) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_DEFINITION", failure.getMessage());
        }
        if (failure instanceof InvalidInputException) {
            return new ApiFailure(HttpStatus.BAD_REQUEST, "INVALID_INPUT", failure.getMessage());
        }
        if (failure instanceof IdempotencyKeyReusedException) {
            return new ApiFailure(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED", failure.getMessage());
        }
        if (failure instanceof ExecutionIdInvalidException) {
            return new ApiFailure(HttpStatus.NOT_FOUND, "EXECUTION_NOT_FOUND", failure.getMessage());
        }
        if (failure instanceof CommandRejectedException rejected) {
            String code = rejected.outcome().code();
            return new ApiFailure("EXECUTION_NOT_FOUND".equals(code) ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
                    code, rejected.outcome().message());
        }
        if (failure instanceof CommandNotPublishedException) {
            log.warn("{}", failure.getMessage(), failure.getCause());
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "PUBLISH_FAILED", failure.getMessage());
        }
        if (failure instanceof PublishFailedException) {
            log.warn("{}", failure.getMessage(), failure.getCause());
            return new ApiFailure(HttpStatus.SERVICE_UNAVAILABLE, "PUBLISH_DEFERRED", failure.getMessage());
        }
        return null;
    }
}
