package io.runstream.api.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many copies the cluster keeps of every topic a service creates, Kafka Streams' internal topics included; the
 * broker's own defaults ({@code default.replication.factor}, {@code min.insync.replicas}) apply where one is -1.
 *
 * @param replicationFactor copies of each partition (3 on a production cluster; 1 on the dev stack's one broker)
 * @param minInsyncReplicas copies a write must reach before it is acknowledged (2 with a replication factor of 3, so
 *     one broker down neither loses an acknowledged record nor stops writes)
 */
@ConfigurationProperties("runstream.kafka")
public record ReplicationProperties(@DefaultValue("-1") int replicationFactor,
        @DefaultValue("-1") int minInsyncReplicas) {

    public ReplicationProperties {
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException(
                    "runstream.kafka.replication-factor must be at least 1, or -1 for the broker's default");
        }
        if (minInsyncReplicas == 0 || minInsyncReplicas < -1) {
            throw new IllegalArgumentException(
                    "runstream.kafka.min-insync-replicas must be at least 1, or -1 for the broker's default");
        }
        if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("runstream.kafka.min-insync-replicas (" + minInsyncReplicas
                    + ") cannot exceed runstream.kafka.replication-factor (" + replicationFactor
                    + "): no write could be acknowledged");
        }
    }

    /** Settings of a topic that follow from these: its {@code min.insync.replicas}, when set. */
    java.util.Map<String, String> topicConfigs() {
        return minInsyncReplicas > 0 ? java.util.Map.of("min.insync.replicas", Integer.toString(minInsyncReplicas))
                : java.util.Map.of();
    }
}
