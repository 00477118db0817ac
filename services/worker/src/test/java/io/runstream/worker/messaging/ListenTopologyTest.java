package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.runstream.schemas.ExecutionPhase;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.TaskEvent;
import io.runstream.schemas.TaskEventDirection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code listen} through the worker's topology: events a producer writes to the event log reach the listening
 * execution through the correlation index (routed by tenant and type, matched by correlation value), events that
 * came shortly before the listen are kept for it, a duplicate reaches no listen twice, another tenant's event
 * reaches none, every way a listen ends leaves nothing in the index, and task steps name the events they consumed
 * or emitted.
 */
class ListenTopologyTest {

    private static final String LISTEN = """
            document: {dsl: '1.0.0', namespace: shop, name: pay, version: '1.0.0'}
            do:
              - paid:
                  listen:
                    to:
                      one:
                        with: {type: order.paid}
                        correlate:
                          order: {from: .data.order, expect: '${ .order }'}
                  timeout:
                    after: {minutes: 10}
            """;

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldDeliverTheCorrelatedEventToItsExecutionOnly() {
        harness.commands.pipeInput("a", TopologyHarness.request("a", LISTEN, "{\"order\":7}"));
        harness.commands.pipeInput("b", TopologyHarness.request("b", LISTEN, "{\"order\":8}"));
        assertThat(harness.listensIndexed()).isEqualTo(2);

        harness.sendEvent(paid("e1", "default", 8));

        assertThat(harness.deliveries.readValuesToList()).extracting(d -> d.getExecutionId()).containsExactly("b");
        assertThat(last("b").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("b").getOutputJson()).isEqualTo("[{\"order\":8}]");
        assertThat(harness.listensIndexed()).as("b's listen closed").isEqualTo(1);
    }

    @Test
    void shouldKeepAnEventThatCameBeforeTheListenOpened() {
        harness.sendEvent(paid("early", "default", 7));
        harness.advance(Duration.ofSeconds(30));

        harness.commands.pipeInput("a", TopologyHarness.request("a", LISTEN, "{\"order\":7}"));

        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(harness.listensIndexed()).isZero();
    }

    @Test
    void shouldNotDeliverADuplicateOrAnotherTenantsEvent() {
        String anyUntil = """
                document: {dsl: '1.0.0', namespace: shop, name: count, version: '1.0.0'}
                do:
                  - two:
                      listen:
                        to:
                          any:
                            - with: {type: order.paid}
                          until: '${ length >= 2 }'
                """;
        harness.commands.pipeInput("a", TopologyHarness.request("a", anyUntil, "{}"));

        harness.sendEvent(paid("e1", "default", 1));
        harness.sendEvent(paid("e1", "default", 1));
        harness.sendEvent(paid("e2", "other", 2));

        assertThat(harness.deliveries.readValuesToList()).extracting(d -> d.getEventJson())
                .as("one delivery: the duplicate and the other tenant's event are not routed").hasSize(1);
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.RUNNING);

        harness.sendEvent(paid("e3", "default", 3));
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("a").getOutputJson()).isEqualTo("[{\"order\":1},{\"order\":3}]");
    }

    @Test
    void shouldCloseTheListenWhenItTimesOutOrIsStopped() {
        harness.commands.pipeInput("a", TopologyHarness.request("a", LISTEN, "{\"order\":1}"));
        harness.commands.pipeInput("b", TopologyHarness.request("b", LISTEN, "{\"order\":2}"));
        assertThat(harness.listensIndexed()).isEqualTo(2);

        harness.stops.pipeInput("b", io.runstream.schemas.ExecutionStopRequested.newBuilder().setExecutionId("b")
                .setTenant("default").setReason("no").setRequestedAt(TopologyHarness.START).build());
        assertThat(harness.listensIndexed()).isEqualTo(1);

        harness.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(harness.listensIndexed()).isZero();
    }

    @Test
    void shouldHoldASignalUntilTheListenOpensAndIgnoreAnotherTenantsSignal() {
        String waitThenListen = """
                document: {dsl: '1.0.0', namespace: shop, name: callback, version: '1.0.0'}
                do:
                  - first:
                      wait: PT5S
                  - answer:
                      listen:
                        to:
                          one:
                            with: {type: callback.done}
                """;
        harness.commands.pipeInput("a", TopologyHarness.request("a", waitThenListen, "{}"));
        harness.signals.pipeInput("a", signal("a", "other", "s0"));
        harness.signals.pipeInput("a", signal("a", "default", "s1"));

        harness.advance(Duration.ofSeconds(6));

        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("a").getOutputJson()).isEqualTo("[{\"from\":\"s1\"}]");
    }

    @Test
    void shouldSayWhatAListeningExecutionWaitsForAndNoLongerOnceItsEventCame() {
        String parked = """
                document: {dsl: '1.0.0', namespace: shop, name: pay, version: '1.0.0'}
                do:
                  - paid:
                      listen:
                        to:
                          one:
                            with: {type: order.paid}
                            correlate:
                              order: {from: .data.order, expect: '${ .order }'}
                """;
        harness.commands.pipeInput("a", TopologyHarness.request("a", parked, "{\"order\":7}"));

        var started = harness.status.readValuesToList();
        assertThat(started).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING);
        assertThat(started.get(0).getWaitingFor()).isNull();
        ExecutionStatusChanged running = started.get(1);
        assertThat(running.getPhase()).as("parked on its listen alone").isEqualTo(ExecutionPhase.WAITING);
        assertThat(running.getWaitingFor()).singleElement().satisfies(w -> {
            assertThat(w.getPosition()).isEqualTo("/do/0/paid");
            assertThat(w.getTypes()).containsExactly("order.paid");
            assertThat(w.getCorrelations()).containsExactlyEntriesOf(java.util.Map.of("order", "7"));
            assertThat(w.getSince()).isEqualTo(running.getOccurredAt());
        });

        harness.sendEvent(paid("e1", "default", 7));
        assertThat(harness.status.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.getWaitingFor()).isNull();
        });
    }

    @Test
    void shouldPublishAgainWhenTheListensItWaitsOnChangeButNotForItsTimers() {
        String later = """
                document: {dsl: '1.0.0', namespace: shop, name: both, version: '1.0.0'}
                do:
                  - first:
                      wait: PT5S
                  - both:
                      fork:
                        branches:
                          - paid:
                              listen:
                                to:
                                  one:
                                    with: {type: order.paid}
                                    correlate:
                                      order: {from: .data.order, expect: '${ .order }'}
                          - shipped:
                              listen:
                                to:
                                  one:
                                    with: {type: order.shipped}
                                    correlate:
                                      order: {from: .data.order, expect: '${ .order }'}
                              timeout:
                                after: {minutes: 10}
                          - nap:
                              wait: PT10S
                """;
        harness.commands.pipeInput("a", TopologyHarness.request("a", later, "{\"order\":3}"));
        var started = harness.status.readValuesToList();
        assertThat(started.get(1).getPhase()).isEqualTo(ExecutionPhase.WAITING);
        assertThat(started.get(1).getWaitingFor()).as("on its wait's timer alone").isNull();

        harness.advance(Duration.ofMillis(5_200));
        assertThat(harness.status.readValuesToList()).as("two listens opened").singleElement().satisfies(e -> {
            assertThat(e.getPhase()).isEqualTo(ExecutionPhase.WAITING);
            assertThat(e.getWaitingFor()).extracting(w -> w.getPosition() + " " + w.getTypes())
                    .containsExactly("/do/1/both/fork/branches/0/paid [order.paid]",
                            "/do/1/both/fork/branches/1/shipped [order.shipped]");
        });

        harness.sendEvent(shipped("s1", 3));
        assertThat(harness.status.readValuesToList()).as("one listen closed").singleElement()
                .satisfies(e -> assertThat(e.getWaitingFor()).extracting(w -> w.getPosition())
                        .containsExactly("/do/1/both/fork/branches/0/paid"));

        harness.advance(Duration.ofSeconds(11));
        assertThat(harness.status.readValuesToList()).as("a timer that fired while it still listens").isEmpty();

        harness.sendEvent(paid("p1", "default", 3));
        assertThat(harness.status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void shouldPublishAsManyStatusEventsAsBeforeForRunsThatNeverListen() {
        harness.commands.pipeInput("set", TopologyHarness.request("set", """
                document: {dsl: '1.0.0', namespace: shop, name: one, version: '1.0.0'}
                do:
                  - only:
                      set: {done: true}
                """, "{}"));
        harness.commands.pipeInput("waits", TopologyHarness.request("waits", """
                document: {dsl: '1.0.0', namespace: shop, name: naps, version: '1.0.0'}
                do:
                  - first:
                      wait: PT1S
                  - second:
                      wait: PT1S
                  - done:
                      set: {done: true}
                """, "{}"));
        harness.advance(Duration.ofSeconds(3));

        var events = harness.status.readRecordsToList();
        assertThat(events).filteredOn(r -> r.key().equals("set")).extracting(r -> r.value().getStatus())
                .containsExactly(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
        assertThat(events).filteredOn(r -> r.key().equals("waits"))
                .extracting(r -> r.value().getStatus() + " " + r.value().getPhase())
                .as("one timer after another is one wait")
                .containsExactly("QUEUED null", "RUNNING WAITING", "SUCCEEDED null");
        assertThat(events).allSatisfy(r -> assertThat(r.value().getWaitingFor()).isNull());
    }

    private static io.runstream.schemas.ExecutionSignalled signal(String execution, String tenant, String id) {
        return io.runstream.schemas.ExecutionSignalled.newBuilder().setExecutionId(execution).setTenant(tenant)
                .setEventJson("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/cb\","
                        + "\"type\":\"callback.done\",\"data\":{\"from\":\"" + id + "\"}}")
                .setRequestedAt(TopologyHarness.START).build();
    }

    @Test
    void shouldHoldAnEventThatReachesAPausedListenUntilItResumes() {
        harness.commands.pipeInput("a", TopologyHarness.request("a", LISTEN, "{\"order\":7}"));
        assertThat(harness.decide(TopologyHarness.command("a", io.runstream.schemas.ExecutionCommandType.PAUSE,
                null)).getAccepted()).isTrue();

        harness.sendEvent(paid("e1", "default", 7));
        assertThat(last("a").getStatus()).as("nothing moves while paused").isEqualTo(ExecutionStatus.RUNNING);
        assertThat(last("a").getPhase()).isEqualTo(io.runstream.schemas.ExecutionPhase.SUSPENDED);

        assertThat(harness.decide(TopologyHarness.command("a", io.runstream.schemas.ExecutionCommandType.RESUME,
                null)).getAccepted()).isTrue();
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("a").getOutputJson()).isEqualTo("[{\"order\":7}]");
        assertThat(harness.listensIndexed()).isZero();
    }

    @Test
    void shouldLetOneWorkflowAnswerAnotherWithAnEmit() {
        harness.commands.pipeInput("a", TopologyHarness.request("a", LISTEN, "{\"order\":9}"));
        String payer = """
                document: {dsl: '1.0.0', namespace: shop, name: payer, version: '1.0.0'}
                do:
                  - pay:
                      emit:
                        event:
                          with: {source: 'https://payer.example', type: order.paid, data: {order: '${ .order }'}}
                """;
        harness.commands.pipeInput("p", TopologyHarness.request("p", payer, "{\"order\":9}"));

        assertThat(last("p").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("a").getStatus()).as("the emitted event reached the listen").isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(last("a").getOutputJson()).isEqualTo("[{\"order\":9}]");
        var steps = harness.tasks.readValuesToList();
        TaskEvent emitted = steps.stream().filter(t -> t.getName().equals("pay")).findFirst().orElseThrow()
                .getEvents().get(0);
        assertThat(emitted.getDirection()).isEqualTo(TaskEventDirection.EMITTED);
        assertThat(emitted.getType()).isEqualTo("order.paid");
        assertThat(emitted.getSource()).isEqualTo("https://payer.example");
        assertThat(steps.stream().filter(t -> t.getName().equals("paid")).findFirst().orElseThrow().getEvents())
                .as("the listen's step names the event the emit's step names")
                .containsExactly(new TaskEvent(TaskEventDirection.CONSUMED, "order.paid", "https://payer.example",
                        emitted.getId()));
    }

    @Test
    void shouldDropAListenLeftBehindWhenItsExecutionNoLongerHasIt() {
        String noTimeout = LISTEN.replace("      timeout:\n        after: {minutes: 10}\n", "");
        assertThat(noTimeout).doesNotContain("timeout");
        harness.commands.pipeInput("a", TopologyHarness.request("a", noTimeout, "{\"order\":1}"));
        // a listen of an execution that does not exist, as a lost close would leave behind
        String ghost = "default" + CorrelationKeys.SEP + "order.paid" + CorrelationKeys.SEP + "[\".data.order\"]"
                + CorrelationKeys.SEP + "[\"2\"]" + CorrelationKeys.SEP + "ghost" + CorrelationKeys.SEP + "1"
                + CorrelationKeys.SEP + "0";
        harness.correlation.pipeInput(CorrelationKeys.routeOf(ghost), new io.runstream.schemas.internal
                .CorrelationRecord(io.runstream.schemas.internal.CorrelationKind.OPEN, "default", null,
                TopologyHarness.START, ghost));
        assertThat(harness.listensIndexed()).isEqualTo(2);

        harness.jump(Duration.ofMinutes(16));
        assertThat(harness.listensIndexed()).as("not checked before the check time").isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            harness.jump(Duration.ofMinutes(16));
        }

        assertThat(harness.listensIndexed()).as("the ghost's listen dropped, a's kept").isEqualTo(1);
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.RUNNING);
        harness.sendEvent(paid("e1", "default", 1));
        assertThat(last("a").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    private ExecutionStatusChanged last(String id) {
        ExecutionStatusChanged last = null;
        for (var record : harness.status.readRecordsToList()) {
            seen.put(record.key(), record.value());
        }
        last = seen.get(id);
        return last;
    }

    private final java.util.Map<String, ExecutionStatusChanged> seen = new java.util.HashMap<>();

    @Test
    void shouldRefuseAListenEveryEventVisitsPastTheTenantsBoundAndFailItClearly() {
        io.runstream.worker.settings.WorkerProperties.Events e = TopologyHarness.properties(1_000, 100_000,
                org.springframework.util.unit.DataSize.ofKilobytes(512)).events();
        try (TopologyHarness bounded = new TopologyHarness(TopologyHarness.withEvents(
                new io.runstream.worker.settings.WorkerProperties.Events(e.buffer(), e.dedupWindow(), e.signalHold(),
                        e.listenCheck(), e.maxHops(), 2)))) {
            String everything = """
                    document: {dsl: '1.0.0', namespace: t, name: all, version: '0.1.0'}
                    do:
                      - hear:
                          listen:
                            to:
                              any: []
                    """;
            // a listen found by its type and correlation is not bounded
            bounded.commands.pipeInput("keyed", TopologyHarness.request("keyed", LISTEN, "{\"order\":7}"));
            for (String id : new String[] {"a", "b", "c"}) {
                bounded.commands.pipeInput(id, TopologyHarness.request(id, everything, "{}"));
            }
            java.util.List<ExecutionStatusChanged> failed = bounded.status.readValuesToList().stream()
                    .filter(s -> s.getStatus() == ExecutionStatus.FAILED).toList();
            assertThat(failed).singleElement().satisfies(s -> {
                assertThat(s.getExecutionId()).isEqualTo("c");
                assertThat(s.getError().getMessage()).contains("Too many listens every event visits")
                        .contains("runstream.worker.events.max-scanned-listens");
            });
            assertThat(bounded.listensIndexed()).isEqualTo(3);

            bounded.sendEvent(paid("e1", "default", 7));
            assertThat(bounded.status.readValuesToList()).filteredOn(s -> s.getStatus() == ExecutionStatus.SUCCEEDED)
                    .extracting(ExecutionStatusChanged::getExecutionId).containsExactlyInAnyOrder("keyed", "a", "b");
            // their listens closed: room for another, which the buffered event answers at once
            bounded.commands.pipeInput("d", TopologyHarness.request("d", everything, "{}"));
            assertThat(bounded.status.readValuesToList()).filteredOn(s -> s.getStatus().name().matches("SUCCEEDED|FAILED"))
                    .extracting(s -> s.getExecutionId() + " " + s.getStatus()).containsExactly("d SUCCEEDED");
        }
    }

    private static CloudEvent shipped(String id, int order) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/warehouse")).withType("order.shipped")
                .withExtension("runstreamtenant", "default").withDataContentType("application/json")
                .withData(("{\"order\":" + order + "}").getBytes(StandardCharsets.UTF_8)).build();
    }

    private static CloudEvent paid(String id, String tenant, int order) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/payments")).withType("order.paid")
                .withExtension("runstreamtenant", tenant).withDataContentType("application/json")
                .withData(("{\"order\":" + order + "}").getBytes(StandardCharsets.UTF_8)).build();
    }
}
