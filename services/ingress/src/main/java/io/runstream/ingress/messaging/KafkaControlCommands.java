package io.runstream.ingress.messaging;

import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.CommandNotPublishedException;
import io.runstream.ingress.domain.ControlCommand;
import io.runstream.ingress.domain.ControlCommands;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes ExecutionCommandRequested keyed by execution id, so it reaches the worker partition that owns it. */
@Component
class KafkaControlCommands implements ControlCommands {

    private final KafkaTemplate<String, ExecutionCommandRequested> template;
    private final IngressProperties properties;

    KafkaControlCommands(KafkaTemplate<String, ExecutionCommandRequested> template, IngressProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public CompletionStage<Void> publish(ControlCommand command) {
        ExecutionCommandRequested event = ExecutionCommandRequested.newBuilder()
                .setCommandId(command.commandId().toString())
                .setExecutionId(command.executionId().toString())
                .setTenant(command.tenant())
                .setCommand(ExecutionCommandType.valueOf(command.kind().name()))
                .setReason(command.reason())
                .setExpectedAttempt(command.expectedAttempt())
                .setRequestedAt(command.requestedAt())
                .build();
        try {
            return template.send(properties.control().topic(), event.getExecutionId(), event)
                    .orTimeout(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((sent, failure) -> {
                        if (failure != null) {
                            throw new CommandNotPublishedException(command, failure);
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new CommandNotPublishedException(command, e));
        }
    }
}
