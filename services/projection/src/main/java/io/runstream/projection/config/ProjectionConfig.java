package io.runstream.projection.config;

import io.runstream.projection.domain.ExecutionChanges;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.projection.messaging.ConsumerHealth;
import io.runstream.projection.messaging.DeadLetters;
import io.runstream.projection.messaging.PoisonRecordException;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The listeners' single error handler: a poison record (unreadable, invalid, or refused by the database even without
 * its data) goes straight to the dead-letter topic and the partition moves on; a batch that fails for any other
 * reason, such as the database being down, is retried with backoff until it succeeds, so the view lags but loses
 * nothing, and the {@code consumers} health component turns DOWN while it lasts.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionConfig {

    private final ProjectionProperties properties;

    ProjectionConfig(ProjectionProperties properties) {
        this.properties = properties;
    }

    @Bean
    KafkaTemplate<String, Object> deadLetterTemplate(KafkaProperties kafka) {
        var avro = new AvroSerializer<SpecificRecord>(
                SchemaRegistry.forUrl(kafka.getProperties().get("schema.registry.url")));
        Map<Class<?>, Serializer<?>> byType = Map.of(byte[].class, new ByteArraySerializer(),
                SpecificRecord.class, avro);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(kafka.buildProducerProperties(),
                new StringSerializer(), new DelegatingByTypeSerializer(byType, true)));
    }

    @Bean
    DeadLetters deadLetters(KafkaTemplate<String, Object> deadLetterTemplate, MeterRegistry meters) {
        return new DeadLetters(deadLetterTemplate, this::deadLetterTopic, meters);
    }

    /** The {@code consumers} health component. */
    @Bean
    ConsumerHealth consumersHealthIndicator(Clock clock) {
        return new ConsumerHealth(clock, properties.stuckAfter());
    }

    @Bean
    DefaultErrorHandler errorHandler(DeadLetters deadLetters, ConsumerHealth consumers) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxInterval(5_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters::send, backOff);
        handler.addNotRetryableExceptions(PoisonRecordException.class);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
                if (!DeadLetters.isPoison(ex)) {
                    consumers.failed(record.topic(), ex);
                }
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
                records.partitions().stream().findFirst().ifPresent(p -> consumers.failed(p.topic(), ex));
            }
        });
        return handler;
    }

    private String deadLetterTopic(String topic) {
        return topic.equals(properties.tasksTopic()) ? properties.tasksDeadLetterTopic() : properties.deadLetterTopic();
    }

    @Bean
    NewTopic statusTopic() {
        return TopicBuilder.name(properties.statusTopic()).partitions(properties.partitions()).build();
    }

    @Bean
    ExecutionChanges executionChanges() {
        return new ExecutionChanges();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NewTopic tasksTopic() {
        return TopicBuilder.name(properties.tasksTopic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic tasksDeadLetterTopic() {
        return TopicBuilder.name(properties.tasksDeadLetterTopic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic deadLetterTopic() {
        return TopicBuilder.name(properties.deadLetterTopic()).partitions(properties.partitions()).build();
    }
}
