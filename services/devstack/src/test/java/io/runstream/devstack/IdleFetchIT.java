package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * On one broker the dev stack's grouped consumers (the projection's listeners, the runner's dispatches) wait at an
 * idle broker as long as its topic followers, a tenth as many empty fetches as Kafka's 500 ms; every other test of
 * this module runs on a stack set so.
 */
class IdleFetchIT {

    private static final TestStack stack = TestStack.shared();

    @Test
    void shouldLetTheGroupedConsumersOfTheProjectionAndTheRunnerWaitFiveSecondsAFetch() {
        for (String service : List.of("runstream-projection", "runstream-worker")) {
            ConfigurableApplicationContext context = stack.stack.contexts().stream()
                    .filter(c -> service.equals(c.getEnvironment().getProperty("spring.application.name")))
                    .findFirst().orElseThrow();
            var factories = context.getBeansOfType(ConsumerFactory.class).values();
            assertThat(factories).as("%s's consumer factories", service).isNotEmpty();
            for (ConsumerFactory<?, ?> factory : factories) {
                assertThat(String.valueOf(factory.getConfigurationProperties()
                        .get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))).as(service).isEqualTo("5000");
            }
        }
    }
}
