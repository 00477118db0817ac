package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Everything an execution publishes, status events and task steps, carries an ordinal that puts it in the order it
 * happened, whatever the turn, the pause, the stop, the redrive or the step budget that cut a turn.
 */
class EventOrderTopologyTest {

    /** The spec's "explicit sequence flow": tasks listed out of order, linked by then. */
    private static final String EXPLICIT_SEQUENCE = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - setRed:
                  set: {colors: '${ .colors + ["red"] }'}
                  then: setGreen
              - setBlue:
                  set: {colors: '${ .colors + ["blue"] }'}
                  then: end
              - setGreen:
                  set: {colors: '${ .colors + ["green"] }'}
                  then: setBlue
            """;
    private static final String WAIT = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - before:
                  set: {a: 1}
              - nap:
                  wait: PT10S
              - after:
                  set: {b: 2}
            """;

    private TopologyHarness harness = new TopologyHarness();
    private final List<Event> events = new ArrayList<>();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** One published event, named for the assertion: a status (with its phase) or a task step (with how it ended). */
    private record Event(long ordinal, String label) {
    }

    /** Everything published so far, in ordinal order; every ordinal is positive and none repeats. */
    private List<String> inOrder() {
        harness.status.readValuesToList().forEach(e -> events.add(new Event(e.getOrdinal(), label(e))));
        harness.tasks.readValuesToList().forEach(e -> events.add(new Event(e.getOrdinal(), label(e))));
        assertThat(events).allSatisfy(e -> assertThat(e.ordinal()).as(e.label()).isPositive());
        assertThat(events.stream().map(Event::ordinal).distinct()).hasSameSizeAs(events);
        return events.stream().sorted(Comparator.comparingLong(Event::ordinal)).map(Event::label).toList();
    }

    private static String label(ExecutionStatusChanged e) {
        return e.getStatus() + (e.getPhase() == null ? "" : "/" + e.getPhase());
    }

    private static String label(ExecutionTaskEnded e) {
        return e.getName() + ":" + e.getStatus();
    }

    @Test
    void shouldOrderAnExplicitSequenceFlowAsItRanThoughEveryStepEndsInTheSameMillisecond() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", EXPLICIT_SEQUENCE, "{\"colors\":[]}"));

        assertThat(inOrder()).containsExactly("QUEUED", "RUNNING", "setRed:COMPLETED", "setGreen:COMPLETED",
                "setBlue:COMPLETED", "SUCCEEDED");
    }

    @Test
    void shouldOrderAWaitAPauseAResumeAndTheRestOfTheRun() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", WAIT, "{}"));
        harness.decide(TopologyHarness.command("e1", ExecutionCommandType.PAUSE, null));
        harness.advance(Duration.ofSeconds(11));
        harness.decide(TopologyHarness.command("e1", ExecutionCommandType.RESUME, null));
        harness.advance(Duration.ofMillis(200));

        assertThat(inOrder()).containsExactly("QUEUED", "RUNNING/WAITING", "before:COMPLETED", "RUNNING/SUSPENDED",
                "RUNNING/WAITING", "nap:COMPLETED", "after:COMPLETED", "SUCCEEDED");
    }

    @Test
    void shouldPutTheTasksAStopCancelsBeforeCancelled() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", WAIT, "{}"));
        harness.decide(TopologyHarness.command("e1", ExecutionCommandType.STOP, null));

        assertThat(inOrder()).containsExactly("QUEUED", "RUNNING/WAITING", "before:COMPLETED", "nap:CANCELLED",
                "CANCELLED");
    }

    @Test
    void shouldGoOnNumberingAcrossARedrive() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - first:
                      set: {a: 1}
                  - refuse:
                      raise:
                        error: {type: https://example.com/refused, status: 422}
                """, "{}"));
        assertThat(harness.decide(TopologyHarness.command("e1", ExecutionCommandType.REDRIVE, null)).getAccepted())
                .isTrue();

        assertThat(inOrder()).containsExactly("QUEUED", "RUNNING", "first:COMPLETED", "refuse:FAULTED", "FAILED",
                "RUNNING", "refuse:FAULTED", "FAILED");
    }

    @Test
    void shouldKeepTheOrderAcrossTurnsTheStepBudgetCut() {
        harness.close();
        harness = new TopologyHarness(TopologyHarness.properties(3, 1_000_000, DataSize.ofKilobytes(512)));
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - spin:
                      for: {in: '${ [range(4)] }', at: i}
                      do:
                        - step:
                            set: '${ {n: $i} }'
                  - last:
                      set: {done: true}
                """, "{}"));

        assertThat(inOrder()).containsExactly("QUEUED", "RUNNING", "step:COMPLETED", "step:COMPLETED",
                "step:COMPLETED", "step:COMPLETED", "spin:COMPLETED", "last:COMPLETED", "SUCCEEDED");
        var continuations = harness.driver.createOutputTopic("continuations",
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        assertThat(continuations.getQueueSize()).as("the run took several turns").isGreaterThan(1);
    }
}
