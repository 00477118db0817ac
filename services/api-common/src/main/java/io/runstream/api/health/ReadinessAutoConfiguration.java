package io.runstream.api.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Health of what a Kafka service cannot work without, for its readiness group: the Kafka cluster ({@code kafka})
 * and the schema registry ({@code schemaRegistry}). Each check is bounded by a short timeout, so a probe never
 * hangs on a broker or registry that does not answer. A service gets a check only when its readiness group names it
 * ({@code management.endpoint.health.group.readiness.include}), so one that needs neither, such as the gateway in
 * the dev stack's shared classpath, is not reported down for a broker or registry it never uses.
 */
@AutoConfiguration
@ConditionalOnClass({AdminClient.class, HealthIndicator.class, KafkaProperties.class})
public class ReadinessAutoConfiguration {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Bean(destroyMethod = "close")
    @Conditional(NamedInReadiness.Kafka.class)
    AdminClient healthAdminClient(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildAdminProperties();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "runstream-health-" + java.util.UUID.randomUUID());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return AdminClient.create(config);
    }

    @Bean
    @Conditional(NamedInReadiness.Kafka.class)
    HealthIndicator kafkaHealthIndicator(AdminClient healthAdminClient) {
        return new AbstractHealthIndicator("Kafka is not reachable") {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws Exception {
                var cluster = healthAdminClient.describeCluster(new DescribeClusterOptions()
                        .timeoutMs((int) TIMEOUT.toMillis()));
                int brokers = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                builder.up().withDetail("clusterId", cluster.clusterId().get(TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS)).withDetail("brokers", brokers);
            }
        };
    }

    /** There whenever the readiness group names it: without a registry URL it is down and says so. */
    @Bean
    @Conditional(NamedInReadiness.SchemaRegistry.class)
    HealthIndicator schemaRegistryHealthIndicator(KafkaProperties kafka) {
        String url = kafka.getProperties().get("schema.registry.url");
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return new AbstractHealthIndicator("The schema registry is not reachable") {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws Exception {
                if (url == null || url.isBlank()) {
                    builder.down().withDetail("url", "not set: spring.kafka.properties.schema.registry.url");
                    return;
                }
                int status = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(TIMEOUT)
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                (status == 200 ? builder.up() : builder.down()).withDetail("url", url).withDetail("status", status);
            }
        };
    }
}
