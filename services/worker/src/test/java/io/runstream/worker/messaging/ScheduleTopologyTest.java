package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.worker.domain.Scheduling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Schedules through the worker's whole topology: the scheduler's fires start executions, which run and end. */
class ScheduleTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();
    /** Each execution that ended, with the slot it was started for. */
    private final List<ExecutionStatusChanged> ended = new ArrayList<>();
    /** Every status event read so far. */
    private final List<ExecutionStatusChanged> all = new ArrayList<>();
    /** The QUEUED event of each execution, which carries the request's metadata. */
    private final java.util.Map<String, ExecutionStatusChanged> queued = new java.util.HashMap<>();

    @AfterEach
    void close() {
        harness.close();
    }

    private static WorkflowDefinition workflow(int version, boolean active, String schedule, String task) {
        return new WorkflowDefinition("default", "tick", version, DefinitionFormat.YAML,
                "document: {dsl: '1.0.0', namespace: t, name: tick, version: '0.1.0'}\nschedule: " + schedule
                        + "\ndo:\n  - " + task + "\n", active, Instant.parse("2026-11-23T09:00:00Z"));
    }

    private static WorkflowDefinition every(int version, boolean active, String every) {
        return workflow(version, active, "{every: " + every + "}", "v: {set: {version: " + version + "}}");
    }

    /** The slots of the executions that ended so far, in order. */
    private List<String> firedSlots() {
        for (ExecutionStatusChanged change : harness.status.readValuesToList()) {
            all.add(change);
            if (change.getStatus() == ExecutionStatus.QUEUED) {
                queued.put(change.getExecutionId(), change);
            } else if (change.getStatus() == ExecutionStatus.SUCCEEDED) {
                ended.add(change);
            }
        }
        return ended.stream().map(s -> queued.get(s.getExecutionId()).getMetadata().get("scheduledFor")).toList();
    }

    @Test
    void shouldFireEverySlotOnceWithAnIdFromTheSlotAndStopWhenDeactivated() {
        Instant start = TopologyHarness.START;
        harness.workflows.pipeInput("default/tick", every(1, true, "PT10S"));
        harness.advance(Duration.ofSeconds(31));
        assertThat(firedSlots()).containsExactly("2026-11-23T10:00:10Z", "2026-11-23T10:00:20Z",
                "2026-11-23T10:00:30Z");
        assertThat(ended).extracting(ExecutionStatusChanged::getExecutionId).containsExactly(
                Scheduling.executionId("default", "tick", start.plusSeconds(10)),
                Scheduling.executionId("default", "tick", start.plusSeconds(20)),
                Scheduling.executionId("default", "tick", start.plusSeconds(30)));
        assertThat(queued.get(ended.get(0).getExecutionId()).getMetadata()).containsEntry("trigger", "schedule");

        // a new version with the same schedule keeps its slots; its fires run the new version
        harness.workflows.pipeInput("default/tick", every(2, true, "PT10S"));
        harness.advance(Duration.ofSeconds(10));
        assertThat(firedSlots()).hasSize(4).last().isEqualTo("2026-11-23T10:00:40Z");
        assertThat(ended.get(3).getOutputJson()).isEqualTo("{\"version\":2}");

        harness.workflows.pipeInput("default/tick", every(2, false, "PT10S"));
        harness.advance(Duration.ofSeconds(30));
        assertThat(firedSlots()).as("deactivated: no fire").hasSize(4);
        assertThat(harness.driver.getKeyValueStore(ExecutionTopology.SCHEDULES).approximateNumEntries()).isZero();
    }

    @Test
    void shouldCatchUpOnlyTheLastSlotMissedWhileNoWorkerChecked() {
        harness.workflows.pipeInput("default/tick", every(1, true, "PT10S"));
        harness.advance(Duration.ofSeconds(11));
        assertThat(firedSlots()).containsExactly("2026-11-23T10:00:10Z");
        // a minute with no check: six slots pass, one fire (the last of them)
        harness.jump(Duration.ofSeconds(60));
        harness.advance(Duration.ofSeconds(1));
        assertThat(firedSlots()).containsExactly("2026-11-23T10:00:10Z", "2026-11-23T10:01:10Z");
    }

    @Test
    void shouldTakeUpAChangedScheduleFromItsNextSlot() {
        harness.workflows.pipeInput("default/tick", every(1, true, "PT10S"));
        harness.advance(Duration.ofSeconds(11));
        harness.workflows.pipeInput("default/tick", workflow(2, true, "{cron: '*/1 * * * *'}", "v: {set: {}}"));
        harness.advance(Duration.ofSeconds(60));
        assertThat(firedSlots()).containsExactly("2026-11-23T10:00:10Z", "2026-11-23T10:01:00Z");
    }

    @Test
    void shouldFireAnAfterScheduleItsDelayAfterThePreviousRunEnded() {
        harness.workflows.pipeInput("default/tick", workflow(1, true, "{after: PT5S}", "w: {wait: PT3S}"));
        // taken up at the first catalog scan (10:00:05), first fire 5 s later; each run waits 3 s
        harness.advance(Duration.ofSeconds(30));
        assertThat(firedSlots()).containsExactly("2026-11-23T10:00:10Z", "2026-11-23T10:00:18Z",
                "2026-11-23T10:00:26Z");
    }

    private static io.cloudevents.CloudEvent event(String type, String id, String tenant, String data) {
        return io.cloudevents.core.builder.CloudEventBuilder.v1().withId(id).withType(type)
                .withSource(java.net.URI.create("/shop")).withExtension("runstreamtenant", tenant)
                .withDataContentType("application/json")
                .withData(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    /** Each execution that succeeded so far: its id and output. */
    private java.util.Map<String, String> succeeded() {
        firedSlots();
        java.util.Map<String, String> outputs = new java.util.LinkedHashMap<>();
        ended.forEach(e -> outputs.put(e.getExecutionId(), e.getOutputJson()));
        return outputs;
    }

    @Test
    void shouldStartOneRunPerEventOnceWhateverTheDuplicatesAndOnlyForItsTenant() {
        harness.workflows.pipeInput("default/tick", workflow(1, true,
                "{on: {one: {with: {type: order.placed}}}}", "v: {set: '${ {orders: [.[].n]} }'}"));
        harness.advance(Duration.ofSeconds(6));
        harness.sendEvent(event("order.placed", "e1", "default", "{\"n\":1}"));
        harness.sendEvent(event("order.placed", "e1", "default", "{\"n\":1}"));
        harness.sendEvent(event("order.shipped", "e2", "default", "{\"n\":2}"));
        harness.sendEvent(event("order.placed", "e3", "other", "{\"n\":3}"));
        harness.sendEvent(event("order.placed", "e4", "default", "{\"n\":4}"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(succeeded()).containsExactly(
                java.util.Map.entry(Scheduling.eventRunId("default", "tick",
                        List.of(new Scheduling.EventKey("/shop", "e1"))), "{\"orders\":[1]}"),
                java.util.Map.entry(Scheduling.eventRunId("default", "tick",
                        List.of(new Scheduling.EventKey("/shop", "e4"))), "{\"orders\":[4]}"));
        assertThat(queued.values()).allSatisfy(q -> assertThat(q.getMetadata()).containsEntry("trigger", "event"));

        // deactivated: its filter leaves the index, and events start nothing
        harness.workflows.pipeInput("default/tick", workflow(1, false,
                "{on: {one: {with: {type: order.placed}}}}", "v: {set: '${ {orders: [.[].n]} }'}"));
        harness.advance(Duration.ofSeconds(6));
        assertThat(harness.listensIndexed()).isZero();
        harness.sendEvent(event("order.placed", "e5", "default", "{\"n\":5}"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(succeeded()).hasSize(2);
    }

    @Test
    void shouldStartARunForAllItsEventsOnceTheyCorrelate() {
        harness.workflows.pipeInput("default/tick", workflow(1, true, """
                {on: {all: [{with: {type: order.placed}, correlate: {order: {from: .data.order}}},
                            {with: {type: order.paid}, correlate: {order: {from: .data.order}}}]}, read: envelope}""",
                "v: {set: '${ {ids: [.[].id]} }'}"));
        harness.advance(Duration.ofSeconds(6));
        harness.sendEvent(event("order.placed", "p1", "default", "{\"order\":1}"));
        harness.sendEvent(event("order.paid", "y2", "default", "{\"order\":2}"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(succeeded()).isEmpty();
        harness.sendEvent(event("order.paid", "y1", "default", "{\"order\":1}"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(succeeded().values()).containsExactly("{\"ids\":[\"p1\",\"y1\"]}");
    }

    /** The error codes of the executions that failed so far. */
    private List<String> failures() {
        firedSlots();
        return all.stream().filter(s -> s.getStatus() == ExecutionStatus.FAILED)
                .map(s -> s.getError().getCode() + ": " + s.getError().getMessage()).toList();
    }

    @Test
    void shouldRecordStartsPastTheTenantsQuotaAsFailedRatherThanRunThem() {
        TopologyHarness limited = new TopologyHarness(TopologyHarness.withSchedules(
                new io.runstream.worker.settings.WorkerProperties.Schedules(Duration.ofSeconds(1),
                        Duration.ofSeconds(5), 2)));
        try (limited) {
            limited.workflows.pipeInput("default/tick", workflow(1, true, "{on: {one: {with: {type: burst}}}}",
                    "v: {set: {ok: true}}"));
            limited.advance(Duration.ofSeconds(6));
            for (int i = 0; i < 5; i++) {
                limited.sendEvent(event("burst", "b" + i, "default", "{}"));
            }
            limited.advance(Duration.ofMillis(200));
            List<ExecutionStatusChanged> ends = limited.status.readValuesToList().stream()
                    .filter(s -> s.getStatus() == ExecutionStatus.SUCCEEDED || s.getStatus() == ExecutionStatus.FAILED)
                    .toList();
            assertThat(ends).filteredOn(s -> s.getStatus() == ExecutionStatus.SUCCEEDED).hasSize(2);
            assertThat(ends).filteredOn(s -> s.getStatus() == ExecutionStatus.FAILED).hasSize(3)
                    .allSatisfy(s -> {
                        assertThat(s.getError().getCode()).isEqualTo("START_QUOTA_EXCEEDED");
                        assertThat(s.getError().getMessage()).contains("more than 2 runs a second")
                                .contains("runstream.worker.schedules.max-starts-per-second");
                    });
            // a second later the bucket has refilled
            limited.advance(Duration.ofSeconds(1));
            limited.sendEvent(event("burst", "b5", "default", "{}"));
            limited.advance(Duration.ofMillis(200));
            assertThat(limited.status.readValuesToList()).filteredOn(s -> s.getStatus() == ExecutionStatus.SUCCEEDED)
                    .hasSize(1);
        }
    }

    @Test
    void shouldEndAChainOfWorkflowsStartedByTheEventsTheyEmitAtTheHopLimit() {
        harness.workflows.pipeInput("default/tick", workflow(1, true, "{on: {one: {with: {type: ping}}}}",
                "again: {emit: {event: {with: {type: ping, source: 'https://ping.example', data: {}}}}}"));
        harness.advance(Duration.ofSeconds(6));
        harness.sendEvent(event("ping", "p0", "default", "{}"));
        harness.advance(Duration.ofSeconds(2));
        assertThat(firedSlots()).as("the outside event's run and 15 more, each started by the one before")
                .hasSize(16);
        List<String> failed = failures();
        assertThat(failed).singleElement().asString().startsWith("WORKFLOW_ERROR")
                .contains("would be the 17th emitted one after another");
        assertThat(harness.events.readRecordsToList()).hasSize(16).allSatisfy(r -> assertThat(
                new String(r.headers().lastHeader("ce_runstreamhops").value(), java.nio.charset.StandardCharsets.UTF_8))
                .isNotBlank());
    }

    @Test
    void shouldEndAListenThatConsumesItsOwnEmitsAtTheHopLimit() {
        harness.commands.pipeInput("loop", TopologyHarness.request("loop", """
                document: {dsl: '1.0.0', namespace: t, name: loop, version: '0.1.0'}
                do:
                  - say:
                      emit:
                        event:
                          with: {type: echo, source: 'https://loop.example', data: {}}
                  - hear:
                      listen:
                        to:
                          one:
                            with: {type: echo}
                      then: say
                """, "{}"));
        harness.advance(Duration.ofSeconds(2));
        assertThat(failures()).singleElement().asString().contains("would be the 17th emitted one after another");
        assertThat(harness.events.readRecordsToList()).hasSize(16);
    }
}
