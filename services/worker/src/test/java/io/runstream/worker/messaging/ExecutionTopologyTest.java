package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.RunDispatched;
import io.runstream.schemas.internal.RunOutcome;
import io.runstream.schemas.internal.RunReported;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.config.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecutionTopologyTest {

    private static final WorkerProperties.Topics TOPICS = new WorkerProperties.Topics("commands", "stops",
            "workflows", "status", "tasks", "dispatch", "reports", "dlq", "dispatch.dlt");

    private final SchemaRegistry registry = SchemaRegistry.forUrl("mock://" + UUID.randomUUID());
    private TopologyTestDriver driver;
    private TestInputTopic<String, ExecutionRequested> commands;
    private TestInputTopic<String, RunReported> reports;
    private TestInputTopic<String, ExecutionStopRequested> stops;
    private TestInputTopic<String, WorkflowDefinition> workflows;
    private TestOutputTopic<String, ExecutionStatusChanged> status;
    private TestOutputTopic<String, RunDispatched> dispatch;

    @BeforeEach
    void setUp() {
        StreamsBuilder builder = new StreamsBuilder();
        ExecutionTopology.build(builder, TOPICS, new WorkerProperties.Runs(Duration.ofMinutes(5),
                Duration.ofSeconds(5), Duration.ofMinutes(1), 2, true), registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        // the same error handling as worker.yml
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq");
        driver = new TopologyTestDriver(builder.build(), props);
        commands = driver.createInputTopic("commands", new StringSerializer(), new AvroSerializer<>(registry));
        reports = driver.createInputTopic("reports", new StringSerializer(), new AvroSerializer<>(registry));
        stops = driver.createInputTopic("stops", new StringSerializer(), new AvroSerializer<>(registry));
        workflows = driver.createInputTopic("workflows", new StringSerializer(), new AvroSerializer<>(registry));
        status = driver.createOutputTopic("status", new StringDeserializer(),
                new AvroDeserializer<>(registry, ExecutionStatusChanged.class));
        dispatch = driver.createOutputTopic("dispatch", new StringDeserializer(),
                new AvroDeserializer<>(registry, RunDispatched.class));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static ExecutionRequested request(String id) {
        return ExecutionRequested.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setInputJson("{\"x\":1}").setRequestedAt(Instant.parse("2026-11-23T10:00:00Z"))
                .setWorkflowVersion(1).setDefinition("do: []").setMetadata(Map.of()).build();
    }

    private static RunReported report(String id, int attempt, RunOutcome outcome, String output) {
        return new RunReported(id, attempt, outcome, output, null, Instant.parse("2026-11-23T10:00:01Z"), null);
    }

    private static WorkflowDefinition workflow(int version, boolean active) {
        return new WorkflowDefinition("default", "demo", version, DefinitionFormat.YAML, "do: [v" + version + "]",
                active, Instant.parse("2026-11-23T09:00:00Z"));
    }

    private static ExecutionRequested bare(String id) {
        return ExecutionRequested.newBuilder(request(id)).setWorkflowVersion(null).setDefinition(null).build();
    }

    @Test
    void shouldRunTheCatalogsCurrentVersionForARequestWithoutADefinition() {
        workflows.pipeInput("default/demo", workflow(1, true));
        workflows.pipeInput("default/demo", workflow(2, true));

        commands.pipeInput("e1", bare("e1"));

        assertThat(dispatch.readValuesToList()).singleElement().satisfies(order -> {
            assertThat(order.getWorkflowVersion()).isEqualTo(2);
            assertThat(order.getDefinition()).isEqualTo("do: [v2]");
        });
    }

    @Test
    void shouldFailARequestWithoutADefinitionForAnUnknownOrInactiveWorkflow() {
        commands.pipeInput("e1", bare("e1"));
        workflows.pipeInput("default/demo", workflow(3, false));
        commands.pipeInput("e2", bare("e2"));

        var events = status.readValuesToList();
        assertThat(events).extracting(ExecutionStatusChanged::getExecutionId, ExecutionStatusChanged::getStatus)
                .containsExactly(tuple("e1", ExecutionStatus.QUEUED), tuple("e1", ExecutionStatus.FAILED),
                        tuple("e2", ExecutionStatus.QUEUED), tuple("e2", ExecutionStatus.FAILED));
        assertThat(events.get(1).getError().getCode()).isEqualTo("WORKFLOW_NOT_FOUND");
        assertThat(events.get(3).getError().getCode()).isEqualTo("WORKFLOW_INACTIVE");
        assertThat(dispatch.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepALiveRunWhoseRunnerSendsHeartbeats() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.STARTED, null));
        for (int minute = 0; minute < 12; minute++) {
            driver.advanceWallClockTime(Duration.ofMinutes(1));
            reports.pipeInput("e1", report("e1", 1, RunOutcome.STARTED, null));
        }

        assertThat(dispatch.readValuesToList()).extracting(RunDispatched::getAttempt).containsExactly(1);
        assertThat(status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING);
    }

    @Test
    void shouldEndTimedOutWhenTheRunnerReportsAnUncaughtTimeout() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", new RunReported("e1", 1, RunOutcome.FAILED, null,
                new io.runstream.schemas.ExecutionError("WORKFLOW_TIMEOUT", "Timed out"),
                Instant.parse("2026-11-23T10:00:01Z"), ExecutionStatus.TIMED_OUT));

        assertThat(status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.TIMED_OUT);
    }

    @Test
    void shouldCancelOnAStopAndSendTheRunnerACancelOrder() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.STARTED, null));
        dispatch.readValuesToList();
        stops.pipeInput("e1", new ExecutionStopRequested("e1", "default", "operator said so",
                Instant.parse("2026-11-23T10:00:02Z")));

        var events = status.readValuesToList();
        assertThat(events).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.QUEUED,
                ExecutionStatus.RUNNING, ExecutionStatus.CANCELLED);
        assertThat(events.get(2).getError().getMessage()).isEqualTo("operator said so");
        assertThat(dispatch.readValuesToList()).singleElement().satisfies(order -> {
            assertThat(order.getCancel()).isTrue();
            assertThat(order.getAttempt()).isEqualTo(1);
        });

        reports.pipeInput("e1", report("e1", 1, RunOutcome.SUCCEEDED, "{}"));
        driver.advanceWallClockTime(Duration.ofMinutes(30));
        assertThat(status.isEmpty()).as("nothing follows CANCELLED").isTrue();
    }

    @Test
    void shouldEmitQueuedAndDispatchTheFirstAttempt() {
        commands.pipeInput("e1", request("e1"));

        var queued = status.readKeyValue();
        assertThat(queued.key).isEqualTo("e1");
        assertThat(queued.value.getStatus()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(queued.value.getSequence()).isEqualTo(1);
        assertThat(queued.value.getInputJson()).isEqualTo("{\"x\":1}");
        var dispatched = dispatch.readKeyValue();
        assertThat(dispatched.key).isEqualTo("e1");
        assertThat(dispatched.value.getAttempt()).isEqualTo(1);
        assertThat(dispatched.value.getInputJson()).isEqualTo("{\"x\":1}");
    }

    @Test
    void shouldGoThroughRunningToSucceededWithOutput() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.STARTED, null));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.SUCCEEDED, "{\"y\":2}"));

        var events = status.readValuesToList();
        assertThat(events).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
        assertThat(events).extracting(ExecutionStatusChanged::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(events.get(2).getOutputJson()).isEqualTo("{\"y\":2}");
    }

    @Test
    void shouldChangeNothingOnADuplicateRequest() {
        commands.pipeInput("e1", request("e1"));
        status.readValuesToList();
        dispatch.readValuesToList();

        commands.pipeInput("e1", request("e1"));

        assertThat(status.isEmpty()).isTrue();
        assertThat(dispatch.isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreStaleAttemptsAndLateReports() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 2, RunOutcome.SUCCEEDED, "{}"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.SUCCEEDED, "{}"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.FAILED, null));

        assertThat(status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.SUCCEEDED);
    }

    @Test
    void shouldRedispatchWhenNoRunnerReportsWithinTheLeaseAndFailAfterTheLastAttempt() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.STARTED, null));
        driver.advanceWallClockTime(Duration.ofMinutes(4));
        assertThat(dispatch.readValuesToList()).extracting(RunDispatched::getAttempt).containsExactly(1);

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertThat(dispatch.readValuesToList()).extracting(RunDispatched::getAttempt).containsExactly(2);

        driver.advanceWallClockTime(Duration.ofMinutes(6));
        var events = status.readValuesToList();
        assertThat(events).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.QUEUED,
                ExecutionStatus.RUNNING, ExecutionStatus.QUEUED, ExecutionStatus.FAILED);
        assertThat(events).extracting(ExecutionStatusChanged::getAttempt).containsExactly(1, 1, 2, 2);
        assertThat(events.get(3).getError().getCode()).isEqualTo("RUN_LOST");
        assertThat(dispatch.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepNoLeaseOnceAnExecutionHasFinished() {
        commands.pipeInput("e1", request("e1"));
        reports.pipeInput("e1", report("e1", 1, RunOutcome.SUCCEEDED, "{}"));
        status.readValuesToList();
        dispatch.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(30));

        assertThat(status.isEmpty()).isTrue();
        assertThat(dispatch.isEmpty()).isTrue();
    }

    @Test
    void shouldSkipPoisonAndMisKeyedRecordsWithoutBlockingThePartition() {
        var raw = driver.createInputTopic("commands", new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        raw.pipeInput("bad", "not avro".getBytes());
        commands.pipeInput("wrong-key", request("e2"));
        commands.pipeInput("e3", request("e3"));

        assertThat(status.readValuesToList()).extracting(ExecutionStatusChanged::getExecutionId)
                .containsExactly("e3");
        var deadLetters = driver.createOutputTopic("dlq", new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
        assertThat(deadLetters).extracting(r -> r.key()).containsExactly("bad", "wrong-key");
        assertThat(deadLetters.get(0).value()).isEqualTo("not avro".getBytes());
        assertThat(new String(deadLetters.get(0).headers().lastHeader("__streams.errors.message").value()))
                .contains("magic byte");
        assertThat(new String(deadLetters.get(1).headers().lastHeader("__streams.errors.message").value()))
                .contains("keyed by executionId");
    }
}
