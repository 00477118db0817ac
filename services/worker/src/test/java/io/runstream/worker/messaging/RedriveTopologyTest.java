package io.runstream.worker.messaging;

import io.runstream.worker.runner.ActivityRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Redrive on the real topology: a failed or timed-out execution reopens where its failure arose. */
class RedriveTopologyTest {

    private static final String TWO_CALLS = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - reserve:
                  call: http
                  with: {method: post, endpoint: "http://127.0.0.1:9/reserve"}
              - note:
                  set: {reserved: '${ .ok }'}
              - charge:
                  call: http
                  with: {method: post, endpoint: "http://127.0.0.1:9/charge"}
                  output:
                    as: '${ {reserved: $input.reserved, charged: .ok} }'
            """;

    private final TopologyHarness harness = new TopologyHarness();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** A callee that counts calls by path and answers with {@code answer}. */
    private Function<HttpRequest, HttpResponse> callee(Function<String, Integer> answer) {
        return request -> {
            String path = request.uri().substring(request.uri().lastIndexOf('/') + 1);
            int n = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = answer.apply(path + "#" + n);
            return HttpResponse.of(status, Map.of("Content-Type", "application/json"),
                    ("{\"ok\":" + (status < 300) + "}").getBytes(StandardCharsets.UTF_8));
        };
    }

    private int calls(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    private ExecutionCommandDecided redrive(String id) {
        return harness.decide(TopologyHarness.command(id, ExecutionCommandType.REDRIVE, null));
    }

    @Test
    void shouldRunTheFailedCallAgainAndNotTheCompletedOnes() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", TWO_CALLS, "{}"));
        // the charge fails the first time only
        Function<HttpRequest, HttpResponse> callee = callee(call -> call.equals("charge#1") ? 500 : 200);
        harness.runActivities(callee);
        harness.runActivities(callee);
        List<ExecutionStatusChanged> first = harness.status.readValuesToList();
        ExecutionStatusChanged failed = first.get(first.size() - 1);
        assertThat(failed.getStatus()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.getRedriveCount()).isZero();
        List<ExecutionTaskEnded> firstSteps = harness.tasks.readValuesToList();
        long lastStep = firstSteps.get(firstSteps.size() - 1).getStep();

        ExecutionCommandDecided redriven = redrive("e1");

        assertThat(redriven.getAccepted()).isTrue();
        assertThat(redriven.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(redriven.getRedriveCount()).isEqualTo(1);
        assertThat(redriven.getSequence()).isEqualTo(failed.getSequence() + 1);
        assertThat(harness.status.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(e.getSequence()).as("the status sequence goes on").isEqualTo(failed.getSequence() + 1);
            assertThat(e.getRedriveCount()).isEqualTo(1);
            assertThat(e.getError()).isNull();
        });
        List<ActivityDispatched> again = harness.dispatch.readValuesToList();
        assertThat(again).as("only the failed call is made again").singleElement()
                .satisfies(d -> assertThat(d.getUri()).endsWith("/charge"));
        harness.reports.pipeInput("e1", ActivityRecords.toAvro(new io.runstream.worker.domain.ActivityResult("e1",
                again.get(0).getActivity(), again.get(0).getDispatch(), callee.apply(ActivityRecords.toDomain(
                        again.get(0)))), Instant.now()));

        List<ExecutionStatusChanged> done = harness.status.readValuesToList();
        assertThat(done).singleElement().satisfies(e -> {
            assertThat(e.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(e.getRedriveCount()).isEqualTo(1);
            assertThat(e.getSequence()).isEqualTo(failed.getSequence() + 2);
            assertThat(e.getOutputJson()).as("the completed task's output is kept")
                    .isEqualTo("{\"reserved\":true,\"charged\":true}");
        });
        assertThat(calls("reserve")).as("the completed call is not made again").isEqualTo(1);
        assertThat(calls("charge")).isEqualTo(2);
        List<ExecutionTaskEnded> steps = harness.tasks.readValuesToList();
        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.getName()).isEqualTo("charge");
            assertThat(step.getStep()).as("numbered after the first run's steps").isGreaterThan(lastStep);
            assertThat(step.getRedriveCount()).isEqualTo(1);
        });

        ExecutionCommandDecided twice = redrive("e1");
        assertThat(twice.getAccepted()).isFalse();
        assertThat(twice.getCode()).isEqualTo("EXECUTION_NOT_REDRIVABLE");
        assertThat(twice.getMessage()).contains("SUCCEEDED");
    }

    @Test
    void shouldStartTheRetriesOfTheFailedTaskOverAndRedriveASecondTime() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - guarded:
                      try:
                        - charge:
                            call: http
                            with: {method: post, endpoint: "http://127.0.0.1:9/charge"}
                      catch:
                        retry:
                          delay: PT1S
                          limit:
                            attempt: {count: 1}
                """, "{}"));
        // fails four times, then succeeds
        Function<HttpRequest, HttpResponse> callee = callee(call -> Integer.parseInt(call.substring(7)) <= 4 ? 503
                : 200);
        for (int i = 0; i < 3; i++) {
            harness.runActivities(callee);
            harness.advance(Duration.ofMillis(1_200));
        }
        assertThat(harness.status.readValuesToList()).last().extracting(ExecutionStatusChanged::getStatus)
                .isEqualTo(ExecutionStatus.FAILED);
        assertThat(calls("charge")).as("one try and one retry").isEqualTo(2);

        assertThat(redrive("e1").getAccepted()).isTrue();
        for (int i = 0; i < 3; i++) {
            harness.runActivities(callee);
            harness.advance(Duration.ofMillis(1_200));
        }
        List<ExecutionStatusChanged> second = harness.status.readValuesToList();
        // RUNNING on the redrive, then WAITING and RUNNING again around the retry delay
        assertThat(second).extracting(ExecutionStatusChanged::getStatus).startsWith(ExecutionStatus.RUNNING)
                .endsWith(ExecutionStatus.FAILED).containsOnlyOnce(ExecutionStatus.FAILED);
        assertThat(calls("charge")).as("the retry policy starts over: one try and one retry again").isEqualTo(4);

        ExecutionCommandDecided third = redrive("e1");
        assertThat(third.getRedriveCount()).isEqualTo(2);
        harness.runActivities(callee);
        List<ExecutionStatusChanged> last = harness.status.readValuesToList();
        assertThat(last).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.RUNNING,
                ExecutionStatus.SUCCEEDED);
        assertThat(last).extracting(ExecutionStatusChanged::getRedriveCount).containsOnly(2);
        assertThat(calls("charge")).isEqualTo(5);
    }

    @Test
    void shouldStartTheRetriesAroundAForkOverAndDispatchAnotherBranchsCallAgainUnderItsKey() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - guarded:
                      try:
                        - both:
                            fork:
                              branches:
                                - slow:
                                    call: http
                                    with: {method: post, endpoint: "http://127.0.0.1:9/slow"}
                                - charge:
                                    call: http
                                    with: {method: post, endpoint: "http://127.0.0.1:9/charge"}
                      catch:
                        errors:
                          with: {status: 503}
                        retry:
                          delay: PT1S
                          limit:
                            attempt: {count: 1}
                """, "{}"));
        // the charge fails three times, then succeeds; the slow call is answered only at the end
        Function<HttpRequest, HttpResponse> callee = callee(call -> call.startsWith("charge#")
                && Integer.parseInt(call.substring(7)) <= 3 ? 503 : 200);
        List<ActivityDispatched> slow = new java.util.ArrayList<>();
        Runnable chargeOnly = () -> {
            for (ActivityDispatched d : harness.dispatch.readValuesToList()) {
                if (d.getUri().endsWith("/slow")) {
                    slow.add(d);
                } else {
                    harness.reports.pipeInput("e1", ActivityRecords.toAvro(new io.runstream.worker.domain.ActivityResult(
                            "e1", d.getActivity(), d.getDispatch(), callee.apply(ActivityRecords.toDomain(d))),
                            Instant.now()));
                }
            }
        };
        chargeOnly.run();
        harness.advance(Duration.ofMillis(1_200));
        chargeOnly.run();
        assertThat(harness.status.readValuesToList()).last().extracting(ExecutionStatusChanged::getStatus)
                .isEqualTo(ExecutionStatus.FAILED);
        assertThat(calls("charge")).as("a try and a retry").isEqualTo(2);
        String inFlight = slow.get(slow.size() - 1).getIdempotencyKey();

        assertThat(redrive("e1").getAccepted()).isTrue();
        List<ActivityDispatched> again = harness.dispatch.readValuesToList();
        assertThat(again).extracting(ActivityDispatched::getIdempotencyKey).as("the call in flight in the other"
                + " branch goes again under its key, the failed one under a new one").contains(inFlight)
                .hasSize(2).doesNotHaveDuplicates();
        again.forEach(d -> harness.reports.pipeInput("e1", ActivityRecords.toAvro(
                new io.runstream.worker.domain.ActivityResult("e1", d.getActivity(), d.getDispatch(),
                        callee.apply(ActivityRecords.toDomain(d))), Instant.now())));
        // the charge failed a third time: the try around the fork retries it, as its retries started over
        harness.advance(Duration.ofMillis(1_200));
        harness.runActivities(callee);

        assertThat(harness.status.readValuesToList()).last().extracting(ExecutionStatusChanged::getStatus)
                .as("the try around the fork retried once more after the redrive").isEqualTo(
                        ExecutionStatus.SUCCEEDED);
        assertThat(calls("charge")).isEqualTo(4);
    }

    @Test
    void shouldAnswerARedriveSentAgainWithItsIdWithItsOutcomeAndNotReopenTwice() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", TWO_CALLS, "{}"));
        harness.runActivities(callee(call -> 500));
        harness.status.readValuesToList();
        var command = TopologyHarness.command("e1", ExecutionCommandType.REDRIVE, null);

        ExecutionCommandDecided first = harness.decide(command);
        harness.runActivities(callee(call -> 500));
        List<ExecutionStatusChanged> events = harness.status.readValuesToList();
        ExecutionCommandDecided retried = harness.decide(command);

        assertThat(first.getAccepted()).isTrue();
        assertThat(retried).isEqualTo(first);
        assertThat(events).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.RUNNING,
                ExecutionStatus.FAILED);
        assertThat(harness.status.isEmpty()).as("the retry reopens nothing").isTrue();
        assertThat(harness.decide(TopologyHarness.command("e1", ExecutionCommandType.REDRIVE, null))
                .getRedriveCount()).as("a new redrive is the second").isEqualTo(2);
    }

    @Test
    void shouldRestartTheWorkflowTimeoutFromTheRedrive() {
        harness.commands.pipeInput("e1", TopologyHarness.request("e1", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                timeout:
                  after: PT40S
                do:
                  - first:
                      wait: PT60S
                  - second:
                      wait: PT30S
                """, "{}"));
        harness.status.readValuesToList();
        harness.advance(Duration.ofSeconds(41));
        List<ExecutionStatusChanged> timedOut = harness.status.readValuesToList();
        assertThat(timedOut).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.TIMED_OUT);
        harness.advance(Duration.ofSeconds(59));

        // at 100 s: the first wait (due at 60 s) came due meanwhile and ends at once; the second runs 30 s under a
        // workflow timeout of 40 s from now
        assertThat(redrive("e1").getAccepted()).isTrue();
        assertThat(harness.status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .containsExactly(ExecutionStatus.RUNNING);
        harness.advance(Duration.ofSeconds(29));
        assertThat(harness.status.readValuesToList()).as("not timed out again at once")
                .extracting(ExecutionStatusChanged::getStatus).isEmpty();
        harness.advance(Duration.ofSeconds(2));
        List<ExecutionStatusChanged> done = harness.status.readValuesToList();
        assertThat(done).extracting(ExecutionStatusChanged::getStatus).containsExactly(ExecutionStatus.SUCCEEDED);
        assertThat(done.get(0).getOccurredAt()).isBetween(Instant.parse("2026-11-23T10:02:10Z"),
                Instant.parse("2026-11-23T10:02:10.400Z"));
    }

    @Test
    void shouldRejectARedriveOfAnExecutionThatIsNotFailedWithAReason() {
        harness.commands.pipeInput("live", TopologyHarness.request("live", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - long:
                      wait: PT1H
                """, "{}"));
        harness.commands.pipeInput("done", TopologyHarness.request("done", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - quick:
                      set: {ok: true}
                """, "{}"));
        harness.commands.pipeInput("loop", TopologyHarness.request("loop", """
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - spin:
                      set: {n: 1}
                      then: spin
                """, "{}"));
        harness.status.readValuesToList();

        ExecutionCommandDecided live = redrive("live");
        assertThat(live.getCode()).isEqualTo("EXECUTION_NOT_REDRIVABLE");
        assertThat(live.getMessage()).contains("is RUNNING", "only a FAILED or TIMED_OUT");
        assertThat(redrive("done").getMessage()).contains("ended SUCCEEDED");
        assertThat(redrive("loop").getMessage()).as("a limit would end it again at once")
                .contains("ended FAILED", "STEP_LIMIT_EXCEEDED");
        ExecutionCommandDecided unknown = redrive("nope");
        assertThat(unknown.getCode()).isEqualTo("EXECUTION_NOT_REDRIVABLE");
        assertThat(unknown.getMessage()).contains("within the redrive window (PT336H)");
        harness.decide(TopologyHarness.command("live", ExecutionCommandType.STOP, null));
        assertThat(redrive("live").getMessage()).contains("ended CANCELLED");
        assertThat(harness.status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .as("only the stop changed anything").containsExactly(ExecutionStatus.CANCELLED);
    }

    @Test
    void shouldNotRedriveAnotherTenantsExecutionOrOneFailedLongerAgoThanTheWindow() {
        try (TopologyHarness shortWindow = new TopologyHarness(TopologyHarness.properties(1_000, 100_000,
                DataSize.ofKilobytes(512), Duration.ofHours(48), Duration.ofHours(1)))) {
            shortWindow.commands.pipeInput("e1", TopologyHarness.request("e1", TWO_CALLS, "{}"));
            shortWindow.commands.pipeInput("e2", TopologyHarness.request("e2", TWO_CALLS, "{}"));
            shortWindow.runActivities(callee(call -> 500));
            assertThat(shortWindow.status.readValuesToList()).filteredOn(e -> e.getStatus() == ExecutionStatus.FAILED)
                    .hasSize(2);

            var elsewhere = TopologyHarness.command("e1", ExecutionCommandType.REDRIVE, null);
            elsewhere.setTenant("other");
            assertThat(shortWindow.decide(elsewhere).getCode()).isEqualTo("EXECUTION_NOT_REDRIVABLE");
            shortWindow.driver.advanceWallClockTime(Duration.ofMinutes(59));
            assertThat(shortWindow.decide(TopologyHarness.command("e2", ExecutionCommandType.REDRIVE, null))
                    .getAccepted()).as("within the window").isTrue();
            shortWindow.driver.advanceWallClockTime(Duration.ofMinutes(2));

            ExecutionCommandDecided late = shortWindow.decide(TopologyHarness.command("e1",
                    ExecutionCommandType.REDRIVE, null));
            assertThat(late.getAccepted()).isFalse();
            assertThat(late.getCode()).isEqualTo("EXECUTION_NOT_REDRIVABLE");
            assertThat(late.getMessage()).contains("longer ago than the redrive window (PT1H)");
        }
    }
}
