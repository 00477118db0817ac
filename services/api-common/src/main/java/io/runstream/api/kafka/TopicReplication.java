package io.runstream.api.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.KafkaStreamsConfiguration;

/**
 * Gives every topic a service declares, and every internal topic of its Kafka Streams application, the configured
 * replication, so no topic is left out by a service that forgets it. Topics that already exist keep theirs: Kafka
 * does not change a topic's replication on creation requests.
 */
final class TopicReplication implements BeanPostProcessor {

    /** Kafka Streams' settings for its changelog and repartition topics. */
    static final String STREAMS_REPLICATION_FACTOR = "replication.factor";
    static final String STREAMS_MIN_INSYNC = "topic.min.insync.replicas";

    private final ReplicationProperties replication;

    TopicReplication(ReplicationProperties replication) {
        this.replication = replication;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof NewTopic topic) {
            return replicated(topic);
        }
        if (bean instanceof KafkaStreamsConfiguration streams) {
            return replicated(streams);
        }
        return bean;
    }

    NewTopic replicated(NewTopic topic) {
        if (topic.replicasAssignments() != null) {
            return topic;
        }
        NewTopic copy = new NewTopic(topic.name(), java.util.Optional.of(topic.numPartitions())
                .filter(n -> n > 0), java.util.Optional.of((short) replication.replicationFactor())
                .filter(n -> n > 0).or(() -> java.util.Optional.of(topic.replicationFactor()).filter(n -> n > 0)));
        Map<String, String> configs = new HashMap<>(replication.topicConfigs());
        if (topic.configs() != null) {
            configs.putAll(topic.configs());
        }
        return copy.configs(configs);
    }

    KafkaStreamsConfiguration replicated(KafkaStreamsConfiguration streams) {
        Map<String, Object> config = new HashMap<>();
        streams.asProperties().forEach((key, value) -> config.put((String) key, value));
        if (replication.replicationFactor() > 0) {
            config.put(STREAMS_REPLICATION_FACTOR, replication.replicationFactor());
        }
        if (replication.minInsyncReplicas() > 0) {
            config.put(STREAMS_MIN_INSYNC, Integer.toString(replication.minInsyncReplicas()));
        }
        return new KafkaStreamsConfiguration(config);
    }
}
