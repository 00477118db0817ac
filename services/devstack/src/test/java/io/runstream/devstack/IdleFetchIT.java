package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * On one broker the dev stack's projection listeners and the worker's global and stream threads wait at an idle
 * broker as long as its topic followers do, sending a tenth as many empty fetches as with Kafka's 500 ms; the
 * worker's runner, which pauses a tenant's partitions while it reads the others, waits 2 s, a quarter as many. Every
 * other test of this module runs on a stack set so.
 */
class IdleFetchIT {

    private static final TestStack stack = TestStack.shared();
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static ConfigurableApplicationContext service(String name) {
        return stack.stack.contexts().stream()
                .filter(c -> name.equals(c.getEnvironment().getProperty("spring.application.name")))
                .findFirst().orElseThrow();
    }

    private static Object fetchWait(ConsumerFactory<?, ?> factory) {
        return factory.getConfigurationProperties().get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    }

    @Test
    void shouldLetTheProjectionsListenersWaitFiveSecondsAFetch() {
        var factories = service("runstream-projection").getBeansOfType(ConsumerFactory.class).values();

        assertThat(factories).isNotEmpty();
        factories.forEach(factory -> assertThat(String.valueOf(fetchWait(factory))).isEqualTo("5000"));
    }

    @Test
    void shouldLetTheRunnerWaitTwoSecondsAFetch() {
        ConfigurableApplicationContext worker = service("runstream-worker");
        var factories = worker.getBeansOfType(ConsumerFactory.class).values();
        var streams = worker.getBean(StreamsBuilderFactoryBean.class).getStreamsConfiguration();

        assertThat(factories).isNotEmpty();
        factories.forEach(factory -> assertThat(String.valueOf(fetchWait(factory))).isEqualTo("2000"));
        // set for the stream thread's consumer alone, not for every client of Kafka Streams
        assertThat(streams.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isNull();
        assertThat(streams.get(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)))
                .isNull();
    }

    @Test
    void shouldLetTheWorkersGlobalAndStreamThreadsWaitFiveSecondsAFetch() {
        var streams = service("runstream-worker").getBean(StreamsBuilderFactoryBean.class)
                .getStreamsConfiguration();

        assertThat(String.valueOf(streams.get(StreamsConfig.globalConsumerPrefix(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)))).isEqualTo("5000");
        assertThat(String.valueOf(streams.get(StreamsConfig.mainConsumerPrefix(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)))).isEqualTo("5000");
    }

    /**
     * What the setting is for, counted by the consumers themselves: in a quiet 10 s window the worker's stream and
     * global threads each send at most a few fetches, and its runner at most six (about 20 each at Kafka's 500 ms).
     */
    @Test
    void shouldSendFewFetchesFromTheWorkersStreamsThreadsAndRunnerWhileIdle() {
        ConfigurableApplicationContext worker = service("runstream-worker");
        KafkaStreams streams = worker.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        MessageListenerContainer runner = worker.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("activities");
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        List<Sample> samples = new ArrayList<>();
        List<String> windows = new ArrayList<>();

        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Sample now = new Sample(System.nanoTime(), fetches(streams.metrics(), "-StreamThread-1-consumer"),
                        fetches(streams.metrics(), "-global-consumer"), fetches(runner.metrics().values().stream()
                                .flatMap(m -> m.entrySet().stream())
                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), ""));
                samples.add(now);
                Sample from = samples.stream().filter(s -> now.nanos() - s.nanos() >= WINDOW.toNanos())
                        .reduce((first, second) -> second).orElse(null);
                if (from == null) {
                    return false;
                }
                double stream = now.stream() - from.stream();
                double global = now.global() - from.global();
                double dispatches = now.runner() - from.runner();
                windows.add("stream " + (long) stream + " / global " + (long) global + " / runner "
                        + (long) dispatches);
                return stream <= 4 && global <= 4 && dispatches <= 6;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No 10 s window with at most 4 fetches from the stream and global threads and 6 "
                    + "from the runner; the last ones: "
                    + windows.subList(Math.max(0, windows.size() - 5), windows.size()), e);
        }
        System.out.println("idle-fetches: the first 10 s window with at most 4 from the stream and global threads "
                + "and 6 from the runner (of " + windows.size() + " looked at): " + windows.get(windows.size() - 1)
                + " (about 20 each at Kafka's 500 ms wait)");
    }

    /** Fetches counted so far, at a moment. */
    private record Sample(long nanos, double stream, double global, double runner) {
    }

    /** The consumer's own count of fetch requests, for the one client among {@code metrics} whose id ends so. */
    private static double fetches(Map<MetricName, ? extends Metric> metrics, String clientIdSuffix) {
        var counts = metrics.entrySet().stream()
                .filter(m -> m.getKey().group().equals("consumer-fetch-manager-metrics")
                        && m.getKey().name().equals("fetch-total")
                        && m.getKey().tags().getOrDefault("client-id", "").endsWith(clientIdSuffix)
                        && !m.getKey().tags().containsKey("topic"))
                .map(m -> ((Number) m.getValue().metricValue()).doubleValue()).toList();
        assertThat(counts).as("fetch-total of *%s", clientIdSuffix).hasSize(1);
        return counts.get(0);
    }
}
