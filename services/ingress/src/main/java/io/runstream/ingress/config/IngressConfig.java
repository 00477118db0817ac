package io.runstream.ingress.config;

import io.runstream.ingress.domain.ExecutionCommands;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.ExecutionRequests;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Wires the plain domain to its adapters and declares the topic the ingress writes. */
@Configuration(proxyBeanMethods = false)
class IngressConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ExecutionIntake executionIntake(ExecutionRequests requests, ExecutionCommands commands, Clock clock) {
        return new ExecutionIntake(requests, commands, clock);
    }

    @Bean
    NewTopic commandsTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.commandsTopic()).partitions(properties.partitions()).build();
    }
}
