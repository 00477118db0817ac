package io.runstream.worker.config;

import io.runstream.worker.settings.WorkerProperties;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.messaging.ExecutionMetrics;
import io.runstream.worker.messaging.ExecutionTopology;
import io.runstream.engine.ExpressionWatchdog;
import io.runstream.worker.messaging.CrashMarks;
import io.runstream.worker.messaging.CrashReporter;
import java.nio.file.Path;
import org.apache.kafka.streams.StreamsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/** Adds the execution topology to the Kafka Streams application that Spring runs (spring.kafka.streams.*). */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class TopologyConfig {

    private static final Logger log = LoggerFactory.getLogger(TopologyConfig.class);

    /** Leave the group on shutdown, so a restarted worker gets its partitions back at once, not after a session timeout. */
    @Bean
    static StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }

    /** Replaces stream threads that die and restarts a client that failed for good; see {@link StreamsSupervisor}. */
    @Bean
    static StreamsSupervisor streamsSupervisor(WorkerProperties properties,
            io.micrometer.core.instrument.MeterRegistry meters) {
        return new StreamsSupervisor(properties.streamsRestartDelay(), meters);
    }

    @Bean
    static StreamsBuilderFactoryBeanConfigurer superviseStreams(StreamsSupervisor supervisor) {
        return supervisor::attach;
    }

    /** The {@code streams} health component (in readiness): whether the Kafka Streams client is at work. */
    @Bean
    static StreamsHealth streamsHealthIndicator(StreamsSupervisor supervisor) {
        return new StreamsHealth(supervisor);
    }

    /** Marks beside the Kafka Streams state directory (not in it, where Streams manages what it holds). */
    @Bean
    static CrashMarks crashMarks(KafkaProperties kafka) {
        String stateDir = kafka.getStreams().getStateDir();
        return new CrashMarks(Path.of(stateDir == null ? System.getProperty("java.io.tmpdir") + "/kafka-streams"
                : stateDir).resolve("runstream-in-flight"));
    }

    @Bean
    static CrashReporter crashReporter(CrashMarks marks, KafkaOperations<String, Object> kafka,
            WorkerProperties properties) {
        return new CrashReporter(marks, kafka, properties.topics().crashes());
    }

    /**
     * A jq evaluation that reaches no check for {@code limits.expression-halt-after} halts the process: nothing else
     * stops its thread, and it would hold its partition for good. The input in flight is reported at the next start.
     */
    @Bean(destroyMethod = "close")
    static ExpressionWatchdog expressionWatchdog(WorkerProperties properties) {
        return new ExpressionWatchdog(properties.limits().expressionHaltAfter(), stuck -> {
            log.error("Halting: the jq expression '{}' has run {} on {} without reaching a check; the input in flight"
                    + " will be reported at the next start", stuck.expression(), stuck.elapsed(), stuck.thread());
            Runtime.getRuntime().halt(70);
        });
    }

    @Autowired
    void executionTopology(StreamsBuilder builder, SchemaRegistry registry, WorkerProperties properties,
            CrashMarks marks, io.micrometer.core.instrument.MeterRegistry meters) {
        ExecutionTopology.build(builder, properties, registry, marks, new ExecutionMetrics(meters));
    }
}
