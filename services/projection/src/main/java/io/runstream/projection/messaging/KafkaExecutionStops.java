package io.runstream.projection.messaging;

import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionStops;
import io.runstream.projection.domain.StopNotPublishedException;
import io.runstream.schemas.ExecutionStopRequested;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes ExecutionStopRequested keyed by execution id, so it reaches the worker partition that owns it. */
@Component
class KafkaExecutionStops implements ExecutionStops {

    private final KafkaTemplate<String, Object> template;
    private final String topic;

    KafkaExecutionStops(KafkaTemplate<String, Object> template, ProjectionProperties properties) {
        this.template = template;
        this.topic = properties.stopsTopic();
    }

    @Override
    public CompletionStage<Void> requestStop(String tenant, UUID executionId, String reason, Instant requestedAt) {
        String id = executionId.toString();
        try {
            return template.send(topic, id, new ExecutionStopRequested(id, tenant, reason, requestedAt))
                    .handle((sent, failure) -> {
                        if (failure != null) {
                            throw new StopNotPublishedException(failure);
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new StopNotPublishedException(e));
        }
    }
}
