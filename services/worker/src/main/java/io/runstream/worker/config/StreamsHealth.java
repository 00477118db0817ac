package io.runstream.worker.config;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code streams} health component, in the worker's readiness: UP while its Kafka Streams client runs or
 * rebalances, DOWN before it started, while it shuts down and once it failed (until {@link StreamsSupervisor} has
 * started a new one), with the client's state, its live stream threads, and how often threads were replaced and the
 * client restarted.
 */
final class StreamsHealth implements HealthIndicator {

    private static final Set<KafkaStreams.State> WORKING = EnumSet.of(KafkaStreams.State.RUNNING,
            KafkaStreams.State.REBALANCING);

    private final StreamsSupervisor supervisor;

    StreamsHealth(StreamsSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        KafkaStreams client = supervisor.client();
        KafkaStreams.State state = client == null ? null : client.state();
        Health.Builder health = state != null && WORKING.contains(state) ? Health.up() : Health.down();
        health.withDetail("state", state == null ? "NOT_STARTED" : state.name())
                .withDetail("threadsReplaced", supervisor.threadsReplaced())
                .withDetail("restarts", supervisor.restarts());
        if (client != null) {
            health.withDetail("streamThreads", client.metadataForLocalThreads().size());
        }
        String failure = supervisor.lastFailure();
        if (failure != null) {
            health.withDetail("lastFailure", failure);
        }
        return health.build();
    }
}
