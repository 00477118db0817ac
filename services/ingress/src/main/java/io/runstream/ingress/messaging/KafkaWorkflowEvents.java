package io.runstream.ingress.messaging;

import io.runstream.ingress.catalog.WorkflowEvents;
import io.runstream.ingress.catalog.WorkflowVersion;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.RecordRefusedException;
import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.WorkflowDefinition;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes workflow versions to the compacted topic, keyed by {@code tenant/workflowId}, and waits for the ack. */
@Component
class KafkaWorkflowEvents implements WorkflowEvents {

    private final KafkaTemplate<String, WorkflowDefinition> template;
    private final IngressProperties properties;

    KafkaWorkflowEvents(KafkaTemplate<String, WorkflowDefinition> template, IngressProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public void published(WorkflowVersion v) {
        WorkflowDefinition event = new WorkflowDefinition(v.tenant(), v.workflowId(), v.version(),
                DefinitionFormat.valueOf(v.format().name()), v.definition(), v.active(), v.updatedAt());
        try {
            template.send(properties.workflowsTopic(), v.tenant() + "/" + v.workflowId(), event)
                    .get(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing workflow " + v.workflowId(), e);
        } catch (ExecutionException e) {
            if (KafkaRefusals.translate(e) instanceof RecordRefusedException refused) {
                throw refused;
            }
            throw new IllegalStateException("Broker did not acknowledge workflow " + v.workflowId(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Broker did not acknowledge workflow " + v.workflowId(), e);
        }
    }
}
