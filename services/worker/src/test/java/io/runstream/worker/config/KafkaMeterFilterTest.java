package io.runstream.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.PropertiesMeterFilter;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** Which of Kafka Streams' metrics the worker publishes, with worker.yml's {@code management.metrics.enable}. */
class KafkaMeterFilterTest {

    /** A registry filtered as the worker's is, by the properties worker.yml sets. */
    private static MeterRegistry registryAsWorkerYmlConfiguresIt() throws Exception {
        List<PropertySource<?>> yml = new YamlPropertySourceLoader().load("worker.yml",
                new ClassPathResource("worker.yml"));
        MetricsProperties properties = new Binder(ConfigurationPropertySources.from(yml))
                .bind("management.metrics", MetricsProperties.class).orElseGet(MetricsProperties::new);
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new PropertiesMeterFilter(properties));
        return registry;
    }

    /** Registers a gauge as Micrometer's Kafka binder names a Kafka metric, and says whether the registry kept it. */
    private static boolean published(MeterRegistry registry, String name, String... tags) {
        registry.gauge(name, Tags.of(tags), 1.0);
        return registry.find(name).gauge() != null;
    }

    @Test
    void shouldLeaveOutEachStoresProcessorsAndTopicsMetricsButTheStoresKeyCounts() throws Exception {
        MeterRegistry registry = registryAsWorkerYmlConfiguresIt();

        assertThat(published(registry, "kafka.stream.state.block.cache.usage", "task.id", "1_0", "rocksdb.state.id",
                "executions")).isFalse();
        assertThat(published(registry, "kafka.stream.state.record.e2e.latency.avg", "task.id", "1_0")).isFalse();
        assertThat(published(registry, "kafka.stream.processor.node.process.total", "task.id", "1_0",
                "processor.node.id", "executions-source")).isFalse();
        assertThat(published(registry, "kafka.stream.topic.records.consumed.total", "task.id", "1_0", "topic",
                "runstream.executions.commands")).isFalse();

        assertThat(published(registry, "kafka.stream.state.estimate.num.keys", "task.id", "1_0", "rocksdb.state.id",
                "executions")).isTrue();
    }

    @Test
    void shouldKeepTheThreadsTheTasksAndTheClientsMetrics() throws Exception {
        MeterRegistry registry = registryAsWorkerYmlConfiguresIt();

        // what the bench reads, what the README documents, and a client's own
        assertThat(published(registry, "kafka.stream.thread.commit.total", "thread.id", "StreamThread-1")).isTrue();
        assertThat(published(registry, "kafka.stream.task.dropped.records.total", "task.id", "1_0")).isTrue();
        assertThat(published(registry, "kafka.producer.txn.commit.time.ns.total", "client.id", "p")).isTrue();
        assertThat(published(registry, "kafka.consumer.fetch.manager.records.lag.max", "client.id", "c")).isTrue();
        assertThat(published(registry, "runstream.executions.finished", "status", "SUCCEEDED")).isTrue();
    }
}
