package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * On one broker the dev stack's projection listeners and the worker's global thread wait at an idle broker as long as
 * its topic followers do, sending a tenth as many empty fetches as with Kafka's 500 ms; the worker's stream thread
 * and runner, which pause and resume partitions as they work, keep Kafka's wait. Every other test of this module
 * runs on a stack set so.
 */
class IdleFetchIT {

    private static final TestStack stack = TestStack.shared();

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
    void shouldLeaveTheWorkersStreamThreadAndRunnerAtKafkasWait() {
        ConfigurableApplicationContext worker = service("runstream-worker");
        var factories = worker.getBeansOfType(ConsumerFactory.class).values();
        var streams = worker.getBean(StreamsBuilderFactoryBean.class).getStreamsConfiguration();

        assertThat(factories).isNotEmpty();
        factories.forEach(factory -> assertThat(fetchWait(factory)).isNull());
        assertThat(streams.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))).isNull();
        assertThat(streams.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isNull();
    }

    @Test
    void shouldLetTheWorkersGlobalThreadWaitFiveSecondsAFetch() {
        var streams = service("runstream-worker").getBean(StreamsBuilderFactoryBean.class)
                .getStreamsConfiguration();

        assertThat(String.valueOf(streams.get(StreamsConfig.globalConsumerPrefix(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)))).isEqualTo("5000");
    }
}
