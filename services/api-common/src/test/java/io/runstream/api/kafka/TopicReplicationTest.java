package io.runstream.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.TopicBuilder;

class TopicReplicationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReplicationAutoConfiguration.class))
            .withBean("events", NewTopic.class, () -> TopicBuilder.name("runstream.events").partitions(6).build())
            .withBean("workflows", NewTopic.class,
                    () -> TopicBuilder.name("runstream.workflows").partitions(6).compact().build())
            .withBean("streams", KafkaStreamsConfiguration.class,
                    () -> new KafkaStreamsConfiguration(Map.of("application.id", "w", "processing.guarantee",
                            "exactly_once_v2")));

    @Test
    void shouldGiveEveryTopicAndTheStreamsInternalTopicsTheConfiguredReplication() {
        context.withPropertyValues("runstream.kafka.replication-factor=3", "runstream.kafka.min-insync-replicas=2")
                .run(ctx -> {
                    NewTopic events = ctx.getBean("events", NewTopic.class);
                    assertThat(events.replicationFactor()).isEqualTo((short) 3);
                    assertThat(events.numPartitions()).isEqualTo(6);
                    assertThat(events.configs()).containsEntry("min.insync.replicas", "2");
                    NewTopic workflows = ctx.getBean("workflows", NewTopic.class);
                    assertThat(workflows.replicationFactor()).isEqualTo((short) 3);
                    assertThat(workflows.configs()).containsEntry("cleanup.policy", "compact")
                            .containsEntry("min.insync.replicas", "2");
                    assertThat(ctx.getBean(KafkaStreamsConfiguration.class).asProperties())
                            .containsEntry("replication.factor", 3).containsEntry("topic.min.insync.replicas", "2")
                            .containsEntry("processing.guarantee", "exactly_once_v2");
                });
    }

    @Test
    void shouldLeaveTheBrokersDefaultsWhenNothingIsSet() {
        context.run(ctx -> {
            NewTopic events = ctx.getBean("events", NewTopic.class);
            assertThat(events.replicationFactor()).isEqualTo((short) -1);
            assertThat(events.configs()).doesNotContainKey("min.insync.replicas");
            assertThat(ctx.getBean(KafkaStreamsConfiguration.class).asProperties())
                    .doesNotContainKeys("replication.factor", "topic.min.insync.replicas");
        });
    }

    @Test
    void shouldRefuseSettingsUnderWhichNoWriteCouldBeAcknowledged() {
        context.withPropertyValues("runstream.kafka.replication-factor=1", "runstream.kafka.min-insync-replicas=2")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("cannot exceed runstream.kafka.replication-factor (1)"));
        assertThatThrownBy(() -> new ReplicationProperties(0, -1)).hasMessageContaining("at least 1");
    }
}
