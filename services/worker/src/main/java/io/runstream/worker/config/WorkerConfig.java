package io.runstream.worker.config;

import io.runstream.worker.settings.WorkerProperties;
import io.micrometer.observation.ObservationRegistry;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.runner.ActivityRunner;
import io.runstream.worker.runner.OpenApiRunner;
import io.runstream.worker.runner.WebClientHttpCaller;
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
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.ExponentialBackOff;

/** Wires the runner's producer and its single error handler, and declares the topics. */
@Configuration(proxyBeanMethods = false)
class WorkerConfig {

    private final WorkerProperties properties;

    WorkerConfig(WorkerProperties properties) {
        this.properties = properties;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SchemaRegistry schemaRegistry(KafkaProperties kafka) {
        return SchemaRegistry.forUrl(kafka.getProperties().get("schema.registry.url"));
    }

    /** Avro records through the registry serde, and raw bytes as they came for dead letters. */
    @Bean
    ProducerFactory<String, Object> producerFactory(KafkaProperties kafka, SchemaRegistry registry) {
        AvroSerializer<SpecificRecord> avro = new AvroSerializer<>(registry);
        avro.configure(Map.of(), false);
        Map<Class<?>, Serializer<?>> byType = Map.of(byte[].class, new ByteArraySerializer(),
                SpecificRecord.class, avro);
        return new DefaultKafkaProducerFactory<>(kafka.buildProducerProperties(), new StringSerializer(),
                new DelegatingByTypeSerializer(byType, true));
    }

    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    /** Poison dispatches go to the runner's dead-letter topic with the error in headers; the partition moves on. */
    @Bean
    DefaultErrorHandler errorHandler(KafkaOperations<String, Object> template,
            io.micrometer.core.instrument.MeterRegistry meters) {
        String topic = properties.topics().runnerDeadLetter();
        var recoverer = new DeadLetterPublishingRecoverer(template, (record, failure) -> new TopicPartition(topic, -1));
        var deadLetters = io.micrometer.core.instrument.Counter.builder("runstream.dead.letters").tag("topic", topic)
                .description("Records sent to a dead-letter topic").register(meters);
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2);
        backOff.setMaxElapsedTime(10_000);
        return new DefaultErrorHandler((record, failure) -> {
            recoverer.accept(record, failure);
            deadLetters.increment();
        }, backOff);
    }

    @Bean
    NewTopic commandsTopic() {
        return topic(properties.topics().commands());
    }

    @Bean
    NewTopic eventsTopic() {
        return topic(properties.topics().events());
    }

    @Bean
    NewTopic stopsTopic() {
        return topic(properties.topics().stops());
    }

    @Bean
    NewTopic controlTopic() {
        return topic(properties.topics().control());
    }

    @Bean
    NewTopic controlOutcomesTopic() {
        return topic(properties.topics().controlOutcomes());
    }

    @Bean
    NewTopic workflowsTopic() {
        return TopicBuilder.name(properties.topics().workflows()).partitions(properties.partitions()).compact()
                .build();
    }

    @Bean
    NewTopic tasksTopic() {
        return topic(properties.topics().tasks());
    }

    @Bean
    ActivityRunner activityRunner(org.springframework.beans.factory.ObjectProvider<ObservationRegistry> observations,
            io.runstream.worker.runner.SecretLookup secrets) {
        WorkerProperties.Http http = properties.http();
        // a call's URL may carry a secret filled in: the HTTP clients' debug lines, which show it, stay out
        io.runstream.worker.runner.QuietCallLogs.install();
        return ActivityRunner.withSecrets(new WebClientHttpCaller(http.connectTimeout(), http.responseTimeout(),
                (int) http.maxResponseSize().toBytes(), http.idleTimeout(), http.blockedNetworks(),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP)), http.maxResponseSize().toBytes(),
                secrets, properties.secrets().keys());
    }

    @Bean
    NewTopic secretsTopic() {
        return TopicBuilder.name(properties.secrets().topic()).partitions(properties.partitions()).compact().build();
    }

    @Bean
    OpenApiRunner openApiRunner(ActivityRunner runner, Clock clock) {
        WorkerProperties.OpenApi openapi = properties.openapi();
        return new OpenApiRunner(runner, openapi.documentTtl(), openapi.maxDocuments(), clock);
    }

    @Bean
    NewTopic cancelsTopic() {
        return topic(properties.topics().cancels());
    }

    @Bean
    NewTopic continuationsTopic() {
        return topic(properties.topics().continuations());
    }

    @Bean
    NewTopic correlationTopic() {
        return topic(properties.topics().correlation());
    }

    @Bean
    NewTopic signalsTopic() {
        return topic(properties.topics().signals());
    }

    @Bean
    NewTopic schedulesTopic() {
        return topic(properties.topics().schedules());
    }

    @Bean
    NewTopic subflowsTopic() {
        return topic(properties.topics().subflows());
    }

    @Bean
    NewTopic deliveriesTopic() {
        return topic(properties.topics().deliveries());
    }

    @Bean
    NewTopic statusTopic() {
        return topic(properties.topics().status());
    }

    @Bean
    NewTopic dispatchTopic() {
        return topic(properties.topics().dispatch());
    }

    @Bean
    NewTopic reportsTopic() {
        return topic(properties.topics().reports());
    }

    @Bean
    NewTopic deadLetterTopic() {
        return topic(properties.topics().deadLetter());
    }

    @Bean
    NewTopic runnerDeadLetterTopic() {
        return topic(properties.topics().runnerDeadLetter());
    }

    /** Crash reports matter until their execution is quarantined or done; a week covers any restart loop. */
    @Bean
    NewTopic crashesTopic() {
        return TopicBuilder.name(properties.topics().crashes()).partitions(1)
                .config("retention.ms", String.valueOf(java.time.Duration.ofDays(7).toMillis())).build();
    }

    private NewTopic topic(String name) {
        return TopicBuilder.name(name).partitions(properties.partitions()).build();
    }
}
