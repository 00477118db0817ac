package io.runstream.ingress.config;

import io.runstream.ingress.catalog.DefinitionValidator;
import io.runstream.ingress.catalog.WorkflowCatalog;
import io.runstream.api.secrets.SecretCipher;
import io.runstream.ingress.secrets.SecretLog;
import io.runstream.ingress.secrets.SecretVault;
import io.runstream.ingress.secrets.Secrets;
import io.runstream.ingress.secrets.SecretsProperties;
import io.runstream.ingress.catalog.WorkflowEvents;
import io.runstream.ingress.catalog.WorkflowSchedules;
import io.runstream.ingress.catalog.Workflows;
import io.runstream.ingress.domain.CommandOutcomes;
import io.runstream.ingress.domain.ControlCommands;
import io.runstream.ingress.domain.ExecutionCommands;
import io.runstream.ingress.domain.ExecutionControl;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.ExecutionRequests;
import io.runstream.ingress.domain.InputContract;
import io.runstream.ingress.domain.IntakeLimits;
import io.runstream.ingress.events.EventIntake;
import io.runstream.ingress.events.EventLog;
import io.runstream.ingress.events.SignalIntake;
import io.runstream.ingress.events.SignalLog;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Wires the plain domain to its adapters and declares the topics the ingress writes and reads. */
@Configuration(proxyBeanMethods = false)
class IngressConfig {

    /** Parsed definitions kept to show workflows' schedules: a few pages of the catalog list. */
    private static final int CACHED_SCHEDULE_DEFINITIONS = 256;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Secrets, encrypted under the configured keys; with none configured the API says so (503). */
    @Bean
    SecretVault secretVault(Secrets secrets, SecretLog secretLog, SecretsProperties properties, Clock clock) {
        return new SecretVault(secrets, secretLog,
                properties.keys().isEmpty() ? null : SecretCipher.of(properties.keys()), clock);
    }

    @Bean
    NewTopic secretsTopic(SecretsProperties secrets, IngressProperties properties) {
        return TopicBuilder.name(secrets.topic()).partitions(properties.partitions()).compact().build();
    }

    /**
     * At start, every secret an older key encrypted is encrypted again under the current one, so the older key can
     * then be taken out of the configuration. A failure (the database away) is logged; the next start tries again.
     */
    @Bean
    org.springframework.boot.ApplicationRunner secretKeyRotation(SecretVault vault) {
        return args -> {
            try {
                vault.rotate();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SecretVault.class).warn("Secrets were not encrypted again under "
                        + "the current key this time: {}", e.getMessage());
            }
        };
    }

    @Bean
    WorkflowCatalog workflowCatalog(Workflows workflows, WorkflowEvents events, DefinitionValidator validator,
            Clock clock, IngressProperties properties) {
        return new WorkflowCatalog(workflows, events, validator, clock,
                properties.limits().maxDefinitionSize().toBytes());
    }

    @Bean
    WorkflowSchedules workflowSchedules(Clock clock) {
        return new WorkflowSchedules(clock, CACHED_SCHEDULE_DEFINITIONS);
    }

    @Bean
    ExecutionIntake executionIntake(WorkflowCatalog catalog, ExecutionRequests requests, ExecutionCommands commands,
            Clock clock, IngressProperties properties, InputContract inputs) {
        return new ExecutionIntake(catalog, requests, commands, clock, properties.idempotency().window(),
                new IntakeLimits(properties.limits().maxInputSize().toBytes(),
                        properties.limits().maxRecordSize().toBytes()), inputs);
    }

    @Bean
    ExecutionControl executionControl(ControlCommands commands, CommandOutcomes outcomes, Clock clock) {
        return new ExecutionControl(commands, outcomes, clock);
    }

    @Bean
    EventIntake eventIntake(EventLog log, IngressProperties properties) {
        return new EventIntake(log, properties.limits().maxRecordSize().toBytes(), properties.events().maxBatch());
    }

    @Bean
    SignalIntake signalIntake(SignalLog log, Clock clock, IngressProperties properties) {
        return new SignalIntake(log, clock, properties.limits().maxRecordSize().toBytes());
    }

    @Bean
    NewTopic eventsTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.events().topic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic signalsTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.signals().topic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic controlTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.control().topic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic controlOutcomesTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.control().outcomesTopic()).partitions(properties.partitions()).build();
    }

    @Bean
    NewTopic workflowsTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.workflowsTopic()).partitions(properties.partitions()).compact().build();
    }

    @Bean
    NewTopic commandsTopic(IngressProperties properties) {
        return TopicBuilder.name(properties.commandsTopic()).partitions(properties.partitions()).build();
    }
}
