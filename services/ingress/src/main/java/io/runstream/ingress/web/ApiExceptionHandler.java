package io.runstream.ingress.web;

import io.runstream.api.dialect.ApiFailure;
import io.runstream.api.dialect.DialectErrorHandler;
import io.runstream.ingress.catalog.InvalidDefinitionException;
import io.runstream.ingress.catalog.InvalidWorkflowIdException;
import io.runstream.ingress.catalog.UnsupportedFeatureException;
import io.runstream.ingress.secrets.InvalidSecretNameException;
import io.runstream.ingress.secrets.SecretNotFoundException;
import io.runstream.ingress.secrets.SecretVault;
import io.runstream.ingress.secrets.SecretsNotConfiguredException;
import io.runstream.ingress.secrets.SecretsNotPublishedException;
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
import io.runstream.ingress.events.SignalNotPublishedException;
import java.time.Duration;
import java.util.List;
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

    /** How long a client is asked to wait before sending again what Kafka did not take. */
    private static final Duration KAFKA_RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * A failure of this kind, answered with this status and code and its own message, and with a Retry-After when
     * it passes by itself (Kafka away).
     */
    private record Plain(Class<? extends Throwable> kind, HttpStatus status, String code, boolean logged,
            Duration retryAfter) {

        Plain(Class<? extends Throwable> kind, HttpStatus status, String code, boolean logged) {
            this(kind, status, code, logged, null);
        }

        /** Kafka did not take it in time: 503, logged, and sent again by the client after a while. */
        static Plain notPublished(Class<? extends Throwable> kind, String code) {
            return new Plain(kind, HttpStatus.SERVICE_UNAVAILABLE, code, true, KAFKA_RETRY_AFTER);
        }
    }

    /** The ingress's own failures, each with its answer; the first whose kind matches answers. */
    private static final List<Plain> PLAIN = List.of(
            new Plain(PayloadTooLargeException.class, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", false),
            new Plain(RequestTooLargeException.class, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", false),
            new Plain(EventTooLargeException.class, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", false),
            new Plain(InvalidEventException.class, HttpStatus.BAD_REQUEST, "INVALID_EVENT", false),
            Plain.notPublished(SecretsNotPublishedException.class, "PUBLISH_FAILED"),
            Plain.notPublished(EventsNotPublishedException.class, "PUBLISH_FAILED"),
            Plain.notPublished(SignalNotPublishedException.class, "PUBLISH_FAILED"),
            new Plain(InvalidWorkflowIdException.class, HttpStatus.BAD_REQUEST, "INVALID_WORKFLOW_ID", false),
            new Plain(WorkflowNotFoundException.class, HttpStatus.NOT_FOUND, "WORKFLOW_NOT_FOUND", false),
            new Plain(VersionNotFoundException.class, HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND", false),
            new Plain(WorkflowInactiveException.class, HttpStatus.UNPROCESSABLE_CONTENT, "WORKFLOW_INACTIVE", false),
            new Plain(InvalidDefinitionException.class, HttpStatus.BAD_REQUEST, "INVALID_DEFINITION", false),
            new Plain(UnsupportedFeatureException.class, HttpStatus.BAD_REQUEST, "UNSUPPORTED_FEATURE", false),
            new Plain(InvalidSecretNameException.class, HttpStatus.BAD_REQUEST, "INVALID_SECRET_NAME", false),
            new Plain(SecretNotFoundException.class, HttpStatus.NOT_FOUND, "SECRET_NOT_FOUND", false),
            new Plain(SecretVault.ValueTooLargeException.class, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    false),
            new Plain(SecretsNotConfiguredException.class, HttpStatus.SERVICE_UNAVAILABLE, "SECRETS_NOT_CONFIGURED",
                    true),
            new Plain(InvalidInputException.class, HttpStatus.BAD_REQUEST, "INVALID_INPUT", false),
            new Plain(IdempotencyKeyReusedException.class, HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                    false),
            new Plain(ExecutionIdInvalidException.class, HttpStatus.NOT_FOUND, "EXECUTION_NOT_FOUND", false),
            Plain.notPublished(CommandNotPublishedException.class, "PUBLISH_FAILED"),
            Plain.notPublished(PublishFailedException.class, "PUBLISH_DEFERRED"));

    @Override
    protected ApiFailure map(Throwable failure) {
        if (failure instanceof CommandRejectedException rejected) {
            // the worker's code decides: an execution it does not know is 404, any other refusal 409
            String code = rejected.outcome().code();
            return new ApiFailure("EXECUTION_NOT_FOUND".equals(code) ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
                    code, rejected.outcome().message());
        }
        for (Plain plain : PLAIN) {
            if (plain.kind().isInstance(failure)) {
                if (plain.logged()) {
                    log.warn("{}", failure.getMessage(), failure.getCause());
                }
                return new ApiFailure(plain.status(), plain.code(), failure.getMessage(), plain.retryAfter());
            }
        }
        return null;
    }
}
