package io.runstream.api.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaStreamsConfiguration;

/**
 * Applies {@code runstream.kafka.replication-factor} and {@code min-insync-replicas} to the topics of every Kafka
 * service; bound from the environment directly, because a bean post-processor is made before configuration beans.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaStreamsConfiguration.class)
public class ReplicationAutoConfiguration {

    @Bean
    static TopicReplication runstreamTopicReplication(Environment environment) {
        return new TopicReplication(Binder.get(environment).bind("runstream.kafka", ReplicationProperties.class)
                .orElseGet(() -> new ReplicationProperties(-1, -1)));
    }
}
