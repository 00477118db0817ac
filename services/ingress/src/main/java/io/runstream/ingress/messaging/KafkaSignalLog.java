package io.runstream.ingress.messaging;

import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.events.Signal;
import io.runstream.ingress.events.SignalLog;
import io.runstream.ingress.events.SignalNotPublishedException;
import io.runstream.schemas.ExecutionSignalled;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes each signal as an ExecutionSignalled keyed by execution id (acks=all), so it reaches the worker partition
 * that owns the execution, in order with everything else the execution receives.
 */
@Component
class KafkaSignalLog implements SignalLog {

    private final KafkaTemplate<String, ExecutionSignalled> template;
    private final IngressProperties properties;

    KafkaSignalLog(KafkaTemplate<String, ExecutionSignalled> template, IngressProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public CompletionStage<Void> append(Signal signal) {
        ExecutionSignalled record = toRecord(signal);
        try {
            return template.send(properties.signals().topic(), record.getExecutionId(), record)
                    .orTimeout(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((sent, failure) -> {
                        if (failure != null) {
                            throw new SignalNotPublishedException(signal, failure);
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SignalNotPublishedException(signal, e));
        }
    }

    @Override
    public long recordSize(Signal signal) {
        return RecordSizes.of(toRecord(signal));
    }

    @Override
    public long recordSizeBound(Signal signal) {
        return RecordSizes.bound(ExecutionSignalled.getClassSchema(), Map.of(), signal.executionId().toString(),
                signal.tenant(), signal.eventJson());
    }

    private static ExecutionSignalled toRecord(Signal signal) {
        return ExecutionSignalled.newBuilder()
                .setExecutionId(signal.executionId().toString())
                .setTenant(signal.tenant())
                .setEventJson(signal.eventJson())
                .setRequestedAt(signal.requestedAt())
                .build();
    }
}
