package io.runstream.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.internal.ExecutionCrashReported;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.KafkaCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker whose Kafka Streams client fails for good comes back by itself. On a broker of its own (the test deletes
 * one of the worker's topics): the crash reports topic, which a global store reads, is deleted and created again
 * while the worker runs, as an operator recreating a topic or a whole cluster restarted from lost disks would leave
 * it. The global thread's read position is then past the end of the topic; Kafka Streams cannot replace a global
 * thread, so the client ends in ERROR. The worker must say so on its readiness, start a new client, and run
 * executions again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"spring.config.name=worker",
        "runstream.worker.streams-restart-delay=2s"})
class StreamsRestartIT {

    private static final String CRASHES = "runstream.worker.crashes";
    private static final String DEFINITION = """
            document: {dsl: "1.0.0", namespace: test, name: demo, version: "0.1.0"}
            do:
              - done:
                  set: {done: true}
            """;
    private static KafkaCluster cluster;
    private static Infrastructure infra;
    private static SchemaRegistry registry;

    @Autowired
    private StreamsSupervisor supervisor;
    @Autowired
    private StreamsHealth health;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry props) throws Exception {
        cluster = KafkaCluster.start(Files.createTempDirectory("runstream-restart-cluster-"), 1, 0);
        infra = Infrastructure.shared().onKafka(cluster, "streams_restart");
        registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
        infra.springProperties(null).forEach((k, v) -> props.add(k, () -> v));
        String stateDir = Files.createTempDirectory("streams-restart-state").toString();
        props.add("spring.kafka.streams.state-dir", () -> stateDir);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldStartANewClientWhenTheGlobalThreadFailsAndRunExecutionsAgain() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(runToTheEnd()).as("an execution before the fault").isEqualTo(ExecutionStatus.SUCCEEDED);
        // the global thread has read past offset 0 of the crash reports topic
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                cluster.bootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionCrashReported>(registry))) {
            for (int i = 0; i < 3; i++) {
                String id = UUID.randomUUID().toString();
                producer.send(new ProducerRecord<>(CRASHES, id + "/" + i,
                        new ExecutionCrashReported(id, "gone-host/1", Instant.now()))).get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> crashStore().approximateNumEntries() == 3);
        List<String> states = new CopyOnWriteArrayList<>();
        recreate(CRASHES);
        // readiness is DOWN for at least the restart delay (2 s): looked at every 20 ms, its changes are all seen
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            var now = health.health();
            String seen = now.getStatus().getCode() + " " + now.getDetails().get("state");
            if (states.isEmpty() || !states.get(states.size() - 1).equals(seen)) {
                states.add(seen);
            }
            return supervisor.restarts() == 1 && supervisor.client() != null
                    && supervisor.client().state() == KafkaStreams.State.RUNNING;
        });
        System.out.printf("streams-restart: health %s, restarts %d, threads replaced %d, last failure %s%n", states,
                supervisor.restarts(), supervisor.threadsReplaced(), supervisor.lastFailure());
        assertThat(states).as("readiness said the client had failed before it came back").contains("DOWN ERROR");
        assertThat(health.health().getStatus()).as("and says it works again").isEqualTo(Status.UP);
        assertThat(supervisor.lastFailure()).as("the cause, named").contains("GlobalStreamThread");
        assertThat(runToTheEnd()).as("an execution after the new client started").isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(supervisor.restarts()).as("started once again, not in a loop").isEqualTo(1);
    }

    /** The global store of crash reports, as the running client holds it. */
    private org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Object> crashStore() {
        return supervisor.client().store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType("crashes",
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, Object>keyValueStore()));
    }

    /** Deletes {@code topic} and creates it again, empty, with its partitions and settings. */
    private static void recreate(String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Map<String, String> configs = new java.util.HashMap<>();
            admin.describeConfigs(Set.of(resource)).all().get().get(resource).entries().stream()
                    .filter(entry -> entry.source() == org.apache.kafka.clients.admin.ConfigEntry.ConfigSource
                            .DYNAMIC_TOPIC_CONFIG)
                    .forEach(entry -> configs.put(entry.name(), entry.value()));
            admin.deleteTopics(Set.of(topic)).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get().contains(topic));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
                    .until(() -> {
                        try {
                            admin.createTopics(List.of(new NewTopic(topic, description.partitions().size(),
                                    (short) 1).configs(configs))).all().get();
                        } catch (ExecutionException e) {
                            if (!(e.getCause() instanceof TopicExistsException)) {
                                throw e;
                            }
                        }
                        return true;
                    });
        }
    }

    /** Starts an execution and reads the status topic until it ends; its terminal status. */
    private static ExecutionStatus runToTheEnd() throws Exception {
        String id = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                cluster.bootstrapServers(), "acks", "all"), new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            producer.send(new ProducerRecord<>("runstream.executions.commands", id, ExecutionRequested.newBuilder()
                    .setExecutionId(id).setTenant("default").setWorkflowId("demo").setWorkflowVersion(1)
                    .setDefinition(DEFINITION).setInputJson("{}").setRequestedAt(Instant.now()).build())).get();
        }
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                cluster.bootstrapServers(), "group.id", "restart-it-" + UUID.randomUUID(), "auto.offset.reset",
                "earliest", "isolation.level", "read_committed"), new StringDeserializer(),
                new AvroDeserializer<>(registry, ExecutionStatusChanged.class))) {
            consumer.subscribe(List.of("runstream.executions.status"));
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < until) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    ExecutionStatusChanged event = record.value();
                    if (event != null && event.getExecutionId().equals(id) && event.getStatus() != ExecutionStatus.RUNNING
                            && event.getStatus() != ExecutionStatus.QUEUED) {
                        return event.getStatus();
                    }
                }
            }
        }
        return null;
    }
}
