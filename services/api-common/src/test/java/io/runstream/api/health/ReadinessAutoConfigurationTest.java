package io.runstream.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ReadinessAutoConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    ReadinessAutoConfiguration.class))
            // a loopback port nothing listens on: the admin client of the Kafka check never reaches a broker
            .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void shouldRegisterNoKafkaOrRegistryCheckForAServiceWhoseReadinessNamesNeither() {
        // the gateway on the dev stack's shared classpath: Kafka's classes are there, its settings are not
        contexts.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean("kafkaHealthIndicator")
                .doesNotHaveBean("healthAdminClient")
                .doesNotHaveBean("schemaRegistryHealthIndicator"));
        contexts.withPropertyValues(NamedInReadiness.INCLUDE + "=readinessState,db")
                .run(context -> assertThat(context.getBeansOfType(HealthIndicator.class)).isEmpty());
    }

    @Test
    void shouldRegisterTheChecksTheReadinessGroupNames() {
        contexts.withPropertyValues(NamedInReadiness.INCLUDE + "=readinessState,kafka,schemaRegistry")
                .run(context -> assertThat(context).hasBean("kafkaHealthIndicator")
                        .hasBean("schemaRegistryHealthIndicator"));
        contexts.withPropertyValues(NamedInReadiness.INCLUDE + "[0]=schemaRegistry")
                .run(context -> assertThat(context).hasBean("schemaRegistryHealthIndicator")
                        .doesNotHaveBean("kafkaHealthIndicator").doesNotHaveBean("healthAdminClient"));
    }
}
