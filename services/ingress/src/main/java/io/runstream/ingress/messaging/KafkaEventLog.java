package io.runstream.ingress.messaging;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.events.EventLog;
import io.runstream.ingress.events.EventsNotPublishedException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes events to the event log in the CloudEvents Kafka binding, binary mode ({@code ce_} headers, the data as the
 * value), so any Kafka client can read them with or without a CloudEvents SDK. The key is the tenant and the
 * event's source: one source's events stay in order, and duplicates of an event land together.
 */
@Component
class KafkaEventLog implements EventLog, DisposableBean {

    private final DefaultKafkaProducerFactory<String, CloudEvent> producers;
    private final KafkaTemplate<String, CloudEvent> template;
    private final IngressProperties properties;

    KafkaEventLog(KafkaProperties kafka, IngressProperties properties) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
        this.producers = new DefaultKafkaProducerFactory<>(kafka.buildProducerProperties(), new StringSerializer(),
                serializer);
        this.template = new KafkaTemplate<>(producers);
        this.properties = properties;
    }

    @Override
    public CompletionStage<Void> append(String tenant, List<CloudEvent> events) {
        try {
            CompletableFuture<?>[] sends = events.stream()
                    .map(event -> template.send(properties.events().topic(), tenant + "/" + event.getSource(), event))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(sends)
                    .orTimeout(properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((sent, failure) -> {
                        if (failure != null) {
                            throw new EventsNotPublishedException(events.size(), failure);
                        }
                        return null;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new EventsNotPublishedException(events.size(), e));
        }
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
