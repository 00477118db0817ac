package io.runstream.ingress.messaging;

import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.AcceptedRequest;
import io.runstream.ingress.domain.ExecutionCommands;
import io.runstream.schemas.ExecutionRequested;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes ExecutionRequested, keyed by execution id; completes on the broker's acks=all acknowledgement. */
@Component
class KafkaExecutionCommands implements ExecutionCommands {

    private final KafkaTemplate<String, ExecutionRequested> template;
    private final IngressProperties properties;

    KafkaExecutionCommands(KafkaTemplate<String, ExecutionRequested> template, IngressProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public CompletionStage<Void> publish(AcceptedRequest request) {
        ExecutionRequested event = toEvent(request);
        try {
            return template.send(properties.commandsTopic(), event.getExecutionId(), event)
                    .orTimeout(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .<Void>thenApply(sent -> null)
                    .exceptionallyCompose(failure -> CompletableFuture.failedFuture(KafkaRefusals.translate(failure)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(KafkaRefusals.translate(e));
        }
    }

    @Override
    public long recordSize(AcceptedRequest request) {
        return RecordSizes.of(toEvent(request));
    }

    @Override
    public long recordSizeBound(AcceptedRequest request) {
        return RecordSizes.bound(ExecutionRequested.getClassSchema(), request.metadata(),
                request.executionId().toString(), request.tenant(), request.workflowId(), request.definition(),
                request.idempotencyKey(), request.inputJson());
    }

    private static ExecutionRequested toEvent(AcceptedRequest request) {
        return ExecutionRequested.newBuilder()
                .setExecutionId(request.executionId().toString())
                .setTenant(request.tenant())
                .setWorkflowId(request.workflowId())
                .setWorkflowVersion(request.workflowVersion())
                .setDefinition(request.definition())
                .setIdempotencyKey(request.idempotencyKey())
                .setInputJson(request.inputJson())
                .setRequestedAt(request.acceptedAt())
                .setMetadata(request.metadata())
                .build();
    }
}
