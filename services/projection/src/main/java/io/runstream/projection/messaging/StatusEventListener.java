package io.runstream.projection.messaging;

import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.StatusChange;
import io.runstream.schemas.ExecutionStatusChanged;
import java.util.Map;
import java.util.UUID;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Applies every status event to the view. Failures propagate to the service's one error handler. */
@Component
class StatusEventListener {

    private final ExecutionViews views;

    StatusEventListener(ExecutionViews views) {
        this.views = views;
    }

    @KafkaListener(topics = "${runstream.projection.status-topic}")
    void onStatusChanged(ExecutionStatusChanged event) {
        views.apply(toDomain(event));
    }

    static StatusChange toDomain(ExecutionStatusChanged e) {
        var error = e.getError() == null ? null : new ExecutionError(e.getError().getCode(), e.getError().getMessage());
        return new StatusChange(UUID.fromString(e.getExecutionId()), e.getTenant(), e.getWorkflowId(),
                ExecutionStatus.valueOf(e.getStatus().name()), e.getSequence(), e.getAttempt(), e.getOccurredAt(),
                e.getRequestedAt(), e.getInputJson(), e.getOutputJson(), error,
                e.getMetadata() == null ? Map.of() : Map.copyOf(e.getMetadata()));
    }
}
