package io.runstream.api.tracing;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The record traces of the services that consume execution records. */
@AutoConfiguration
@ConditionalOnClass(name = "org.apache.kafka.common.header.Headers")
public class TracingAutoConfiguration {

    @Bean
    RecordTraces recordTraces(ObjectProvider<ObservationRegistry> registry) {
        return new RecordTraces(registry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
}
