package io.runstream.projection.config;

import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.messaging.PoisonRecordException;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The listener's single error handler: a poison record (unreadable, or invalid) goes straight to the dead-letter
 * topic and the partition moves on; a batch that fails for any other reason, such as the database being down, is
 * retried with backoff until it succeeds, so the view lags but loses nothing.
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
    DefaultErrorHandler errorHandler(KafkaTemplate<String, Object> deadLetterTemplate,
            io.micrometer.core.instrument.MeterRegistry meters) {
        var recoverer = new DeadLetterPublishingRecoverer(deadLetterTemplate,
                (record, failure) -> new TopicPartition(deadLetterTopic(record.topic()), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxInterval(5_000);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> {
            recoverer.accept(record, failure);
            meters.counter("runstream.dead.letters", "topic", deadLetterTopic(record.topic())).increment();
        }, backOff);
        handler.addNotRetryableExceptions(PoisonRecordException.class);
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
