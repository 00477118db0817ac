package io.runstream.worker.messaging;

import io.runstream.worker.runner.ActivityRecords;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.ExecutionCrashReported;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.settings.WorkerProperties;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.springframework.util.unit.DataSize;

/**
 * The worker's topology on a {@link TopologyTestDriver}, with a runner that performs each dispatched activity through
 * a function and reports it back, and a wall clock the test advances, so timers fire as they would in a worker.
 */
final class TopologyHarness implements AutoCloseable {

    static final WorkerProperties.Topics TOPICS = new WorkerProperties.Topics("commands", "stops", "control",
            "control-outcomes", "workflows",
            "status", "tasks", "dispatch", "cancels", "reports", "continuations", "dlq", "dispatch.dlt", "crashes",
            "events", "correlation", "deliveries", "signals", "schedules", "subflows");

    final TopologyTestDriver driver;
    final TestInputTopic<String, ExecutionRequested> commands;
    final TestInputTopic<String, ActivityReported> reports;
    final TestInputTopic<String, ExecutionStopRequested> stops;
    final TestInputTopic<String, ExecutionCommandRequested> control;
    final TestOutputTopic<String, ExecutionCommandDecided> outcomes;
    final TestInputTopic<String, WorkflowDefinition> workflows;
    final TestInputTopic<String, ExecutionCrashReported> crashes;
    final TestOutputTopic<String, ExecutionStatusChanged> status;
    final TestOutputTopic<String, ExecutionTaskEnded> tasks;
    final TestOutputTopic<String, ActivityDispatched> dispatch;
    /** The event log: emitted events, CloudEvents in the Kafka binding. */
    final TestOutputTopic<String, byte[]> events;
    /** What reaches the correlation index, written by hand: a listen a lost message left behind. */
    final TestInputTopic<String, io.runstream.schemas.internal.CorrelationRecord> correlation;
    /** Signals: events for one execution alone. */
    final TestInputTopic<String, io.runstream.schemas.ExecutionSignalled> signals;
    /** The event log as producers write it. */
    final TestInputTopic<String, byte[]> eventLog;
    /** Events the correlation index routed to listens. */
    final TestOutputTopic<String, io.runstream.schemas.internal.EventDelivered> deliveries;

    TopologyHarness() {
        this(properties(1_000, 100_000, DataSize.ofKilobytes(512)));
    }

    /** The driver's wall clock. */
    private Instant clock = START;
    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    TopologyHarness(WorkerProperties properties) {
        SchemaRegistry registry = SchemaRegistry.forUrl("mock://" + UUID.randomUUID());
        StreamsBuilder builder = new StreamsBuilder();
        ExecutionTopology.build(builder, properties, registry, CrashMarks.none());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // a state directory of its own, so two harnesses can be open at once
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/topology-test/" + UUID.randomUUID());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        // the same error handling as worker.yml
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq");
        driver = new TopologyTestDriver(builder.build(), props, START);
        commands = driver.createInputTopic("commands", new StringSerializer(), new AvroSerializer<>(registry));
        reports = driver.createInputTopic("reports", new StringSerializer(), new AvroSerializer<>(registry));
        stops = driver.createInputTopic("stops", new StringSerializer(), new AvroSerializer<>(registry));
        control = driver.createInputTopic("control", new StringSerializer(), new AvroSerializer<>(registry));
        outcomes = driver.createOutputTopic("control-outcomes", new StringDeserializer(),
                new AvroDeserializer<>(registry, ExecutionCommandDecided.class));
        workflows = driver.createInputTopic("workflows", new StringSerializer(), new AvroSerializer<>(registry));
        crashes = driver.createInputTopic("crashes", new StringSerializer(), new AvroSerializer<>(registry));
        status = driver.createOutputTopic("status", new StringDeserializer(),
                new AvroDeserializer<>(registry, ExecutionStatusChanged.class));
        tasks = driver.createOutputTopic("tasks", new StringDeserializer(),
                new AvroDeserializer<>(registry, ExecutionTaskEnded.class));
        dispatch = driver.createOutputTopic("dispatch", new StringDeserializer(),
                new AvroDeserializer<>(registry, ActivityDispatched.class));
        events = driver.createOutputTopic("events", new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        correlation = driver.createInputTopic("correlation", new StringSerializer(), new AvroSerializer<>(registry));
        signals = driver.createInputTopic("signals", new StringSerializer(), new AvroSerializer<>(registry));
        eventLog = driver.createInputTopic("events", new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        deliveries = driver.createOutputTopic("deliveries", new StringDeserializer(),
                new AvroDeserializer<>(registry, io.runstream.schemas.internal.EventDelivered.class));
    }

    /** Writes a CloudEvent to the event log as a producer would, in the Kafka binding's binary mode. */
    void sendEvent(io.cloudevents.CloudEvent event) {
        org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record =
                io.cloudevents.kafka.KafkaMessageFactory.createWriter("events", "k").writeBinary(event);
        eventLog.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(record.key(), record.value(),
                record.headers(), clock));
    }

    /** How many listen filters the correlation index holds. */
    long listensIndexed() {
        long n = 0;
        try (var all = driver.<String, Long>getKeyValueStore(ExecutionTopology.LISTENS).all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    static WorkerProperties properties(int stepBudget, long maxSteps, DataSize maxProgress) {
        return properties(stepBudget, maxSteps, maxProgress, Duration.ofHours(48));
    }

    /** The secrets key of the topology tests: it signs the references to secrets their calls carry. */
    static final String SECRETS_KEY = "test:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    static WorkerProperties properties(int stepBudget, long maxSteps, DataSize maxProgress, Duration retention) {
        return properties(stepBudget, maxSteps, maxProgress, retention, Duration.ofDays(14));
    }

    static WorkerProperties properties(int stepBudget, long maxSteps, DataSize maxProgress, Duration retention,
            Duration redriveWindow) {
        return new WorkerProperties(TOPICS, 1, true, retention, redriveWindow,
                new WorkerProperties.Activities(Duration.ofSeconds(60), 3, 10, 2, 10),
                new WorkerProperties.Timers(Duration.ofMillis(100), 1000, Duration.ofSeconds(1),
                        Duration.ofSeconds(5)),
                new WorkerProperties.Limits(stepBudget, maxSteps, maxProgress, Duration.ofSeconds(30), 2, 10),
                new WorkerProperties.Http(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(6),
                        DataSize.ofKilobytes(900), Duration.ofSeconds(4), List.of()),
                new WorkerProperties.Events(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMinutes(5),
                        Duration.ofHours(1), 16, 1000),
                new WorkerProperties.Schedules(Duration.ofSeconds(1), Duration.ofSeconds(5), 100),
                new WorkerProperties.Secrets(List.of(SECRETS_KEY), "runstream.secrets", Duration.ofSeconds(5)),
                new WorkerProperties.OpenApi(Duration.ofMinutes(5), 100),
                new WorkerProperties.Commits(Duration.ofMillis(10), Duration.ofMillis(100), 0.8,
                        Duration.ofMillis(100), Duration.ofSeconds(1)), Duration.ofSeconds(5));
    }

    /** The default settings with other event settings. */
    static WorkerProperties withEvents(WorkerProperties.Events events) {
        WorkerProperties p = properties(1_000, 100_000, DataSize.ofKilobytes(512));
        return new WorkerProperties(p.topics(), p.partitions(), p.taskHistory(), p.retention(), p.redriveWindow(),
                p.activities(), p.timers(), p.limits(), p.http(), events, p.schedules(), p.secrets(), p.openapi(),
                p.commits(), p.streamsRestartDelay());
    }

    /** The default settings with other schedule settings. */
    static WorkerProperties withSchedules(WorkerProperties.Schedules schedules) {
        WorkerProperties p = properties(1_000, 100_000, DataSize.ofKilobytes(512));
        return new WorkerProperties(p.topics(), p.partitions(), p.taskHistory(), p.retention(), p.redriveWindow(),
                p.activities(), p.timers(), p.limits(), p.http(), p.events(), schedules, p.secrets(), p.openapi(),
                p.commits(), p.streamsRestartDelay());
    }

    static ExecutionRequested request(String id, String definition, String input) {
        return ExecutionRequested.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setInputJson(input).setRequestedAt(Instant.parse("2026-11-23T09:59:59Z"))
                .setWorkflowVersion(definition == null ? null : 1).setDefinition(definition).setMetadata(Map.of())
                .build();
    }

    static ExecutionCommandRequested command(String id, ExecutionCommandType type, Integer expectedAttempt) {
        return ExecutionCommandRequested.newBuilder().setCommandId(UUID.randomUUID().toString()).setExecutionId(id)
                .setTenant("default").setCommand(type).setReason("operator").setExpectedAttempt(expectedAttempt)
                .setRequestedAt(Instant.parse("2026-11-23T10:00:00Z")).build();
    }

    /**
     * Sends a command and returns its outcome; for an execution not seen yet, once the barrier it is held behind
     * comes back (on the next punctuation).
     */
    ExecutionCommandDecided decide(ExecutionCommandRequested command) {
        control.pipeInput(command.getExecutionId(), command);
        if (outcomes.isEmpty()) {
            advance(Duration.ofMillis(100));
        }
        return outcomes.readValue();
    }

    /** Performs every dispatch waiting on the topic, reporting each result; the number performed. */
    int runActivities(Function<HttpRequest, HttpResponse> runner) {
        int performed = 0;
        while (!dispatch.isEmpty()) {
            ActivityDispatched d = dispatch.readValue();
            HttpResponse response = runner.apply(ActivityRecords.toDomain(d).withHeader("Idempotency-Key",
                    d.getIdempotencyKey()));
            reports.pipeInput(d.getExecutionId(), ActivityRecords.toAvro(new ActivityResult(d.getExecutionId(),
                    d.getActivity(), d.getDispatch(), response), Instant.now()));
            performed++;
        }
        return performed;
    }

    /** Moves the wall clock on in one step: punctuators run once. */
    void jump(Duration by) {
        driver.advanceWallClockTime(by);
        clock = clock.plus(by);
    }

    /**
     * Moves the wall clock on, firing the timers that come due: one check interval (100 ms) at a time through the
     * first second and the last two, and a second at a time between them. Each step commits the stores, and ten
     * minutes in 100 ms steps took most of a minute; what comes due in a long advance fires up to a second late.
     */
    void advance(Duration by) {
        long total = by.toMillis();
        for (long ms = 0; ms < total; ) {
            long step = ms >= 1_000 && total - ms > 2_000 ? 1_000 : 100;
            driver.advanceWallClockTime(Duration.ofMillis(step));
            clock = clock.plusMillis(step);
            ms += step;
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
