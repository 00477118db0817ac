package io.runstream.worker.config;

import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.messaging.ExecutionTopology;
import org.apache.kafka.streams.StreamsBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/** Adds the execution topology to the Kafka Streams application that Spring runs (spring.kafka.streams.*). */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class TopologyConfig {

    /** Leave the group on shutdown, so a restarted worker gets its partitions back at once, not after a session timeout. */
    @Bean
    static StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }

    @Autowired
    void executionTopology(StreamsBuilder builder, SchemaRegistry registry, WorkerProperties properties) {
        ExecutionTopology.build(builder, properties, registry);
    }
}
