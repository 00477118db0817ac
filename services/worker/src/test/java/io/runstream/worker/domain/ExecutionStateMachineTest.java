package io.runstream.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.engine.Activity;
import io.runstream.engine.Definition;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.Limits;
import io.runstream.engine.Machine;
import io.runstream.engine.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionStateMachineTest {

    private static final String SET = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - mark:
                  set: {done: true}
            """;
    private static final String CALL = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - charge:
                  call: http
                  with: {method: post, endpoint: "http://127.0.0.1:9/charge", body: {amount: 5}}
            """;
    private static final String WAIT = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - pause:
                  wait: PT1H
              - mark:
                  set: {waited: true}
            """;
    private static final String LOOP = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - spin:
                  for: {in: '${ [range(100)] }'}
                  do:
                    - step:
                        set: {i: '${ $index }'}
            """;

    private final Limits limits = new Limits(50, 10_000, Duration.ofSeconds(60), 2);
    private final ExecutionStateMachine machine = new ExecutionStateMachine(new Machine(limits), Duration.ofDays(14));
    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

    private static ExecutionRequest request(String definition) {
        return new ExecutionRequest("e1", "t", "demo", 3, definition, "{\"x\":1}",
                Instant.parse("2026-11-23T09:59:59Z"), Map.of("sourceSystem", "crm"));
    }

    private static Definition parse(String definition) {
        try {
            return Definition.parse(new ObjectMapper(new YAMLFactory()).readTree(definition));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Decision start(String definition) {
        return machine.onRequested(null, request(definition), parse(definition), t0);
    }

    @Test
    void shouldRunAPureWorkflowToSucceededInTheTurnThatStartedIt() {
        Decision decision = start(SET);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(decision.next().progress()).as("a finished execution keeps no progress").isNull();
        assertThat(decision.changes()).extracting(c -> c.execution().status(), c -> c.execution().sequence())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ExecutionStatus.QUEUED, 1L),
                        org.assertj.core.groups.Tuple.tuple(ExecutionStatus.RUNNING, 2L),
                        org.assertj.core.groups.Tuple.tuple(ExecutionStatus.SUCCEEDED, 3L));
        assertThat(decision.changes().get(0).inputJson()).isEqualTo("{\"x\":1}");
        assertThat(decision.changes().get(0).metadata()).containsEntry("sourceSystem", "crm");
        assertThat(decision.changes().get(2).outputJson()).isEqualTo("{\"done\":true}");
        assertThat(decision.effects().steps()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("mark"));
    }

    @Test
    void shouldIgnoreADuplicateRequest() {
        Decision decision = machine.onRequested(start(WAIT).next(), request(WAIT), parse(WAIT), t0);

        assertThat(decision.changesState()).isFalse();
        assertThat(decision.changes()).isEmpty();
    }

    @Test
    void shouldApplyOnlyTheResultOfTheActivityItWaitsFor() {
        Decision started = start(CALL);
        Execution running = started.next();
        Activity charge = started.effects().dispatched().get(0);
        assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(charge.request().method()).isEqualTo("POST");
        assertThat(charge.idempotencyKey("e1")).isEqualTo("e1/" + charge.seq());

        HttpResponse ok = HttpResponse.of(200, Map.of("Content-Type", "application/json"),
                "{\"charged\":5}".getBytes(StandardCharsets.UTF_8));
        assertThat(machine.onActivityReported(running, parse(CALL), new ActivityResult("e1", charge.seq() + 99, 1, ok),
                t0).changesState()).as("a result for an activity it does not wait on").isFalse();

        Decision done = machine.onActivityReported(running, parse(CALL), new ActivityResult("e1", charge.seq(), 1, ok),
                t0.plusMillis(5));
        assertThat(done.next().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.changes()).singleElement().satisfies(c -> assertThat(c.outputJson())
                .isEqualTo("{\"charged\":5}"));
        assertThat(machine.onActivityReported(done.next(), parse(CALL), new ActivityResult("e1", charge.seq(), 1, ok),
                t0).changesState()).as("a duplicate result after the end").isFalse();
    }

    @Test
    void shouldDispatchAgainWhenTheLeaseRunsOutThenFailWithActivityLost() {
        Decision started = start(CALL);
        Execution running = started.next();
        long lease = started.effects().dispatched().get(0).leaseTimer();

        Decision again = machine.onTimer(running, parse(CALL), lease, t0.plusSeconds(60));
        assertThat(again.effects().dispatched()).singleElement().satisfies(a -> {
            assertThat(a.dispatches()).isEqualTo(2);
            assertThat(a.seq()).as("the same activity, so the same idempotency key")
                    .isEqualTo(started.effects().dispatched().get(0).seq());
        });
        Timer longer = again.effects().scheduled().get(0);
        assertThat(longer.due()).as("the lease doubles").isEqualTo(t0.plusSeconds(60 + 120));

        Decision lost = machine.onTimer(running, parse(CALL), longer.seq(), longer.due());
        assertThat(lost.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(lost.changes()).singleElement().satisfies(c -> assertThat(c.error().code())
                .isEqualTo("ACTIVITY_LOST"));
    }

    /** A run of CALL whose call's lease ran out, so that its activity is in its second dispatch. */
    private Execution redispatched() {
        Decision started = start(CALL);
        Activity charge = started.effects().dispatched().get(0);
        Decision again = machine.onTimer(started.next(), parse(CALL), charge.leaseTimer(), t0.plusSeconds(60));
        assertThat(again.effects().dispatched()).singleElement()
                .satisfies(a -> assertThat(a.dispatches()).isEqualTo(2));
        return again.next();
    }

    @Test
    void shouldTakeOnlyAnAnswerFromADispatchItHasReplaced() {
        HttpResponse timedOut = HttpResponse.failed(HttpResponse.Failure.TIMED_OUT,
                "no complete response within 7000 ms");
        HttpResponse unreachable = HttpResponse.failed(HttpResponse.Failure.UNREACHABLE, "connection refused");
        HttpResponse ok = HttpResponse.of(200, Map.of("Content-Type", "application/json"),
                "{\"charged\":5}".getBytes(StandardCharsets.UTF_8));

        // the first runner wakes after its lease ran out: its call's deadline passed while it stood still
        Execution running = redispatched();
        long charge = running.progress().activities().keySet().iterator().next();
        assertThat(machine.onActivityReported(running, parse(CALL), new ActivityResult("e1", charge, 1, timedOut),
                t0.plusSeconds(61)).changesState()).as("a replaced dispatch's time-out").isFalse();
        assertThat(machine.onActivityReported(running, parse(CALL), new ActivityResult("e1", charge, 1, unreachable),
                t0.plusSeconds(61)).changesState()).as("a replaced dispatch's lost connection").isFalse();
        Decision failed = machine.onActivityReported(running, parse(CALL),
                new ActivityResult("e1", charge, 2, timedOut), t0.plusSeconds(62));
        assertThat(failed.next().status()).as("the current dispatch's time-out is the call's")
                .isEqualTo(ExecutionStatus.FAILED);

        Execution again = redispatched();
        Decision answered = machine.onActivityReported(again, parse(CALL), new ActivityResult("e1", charge, 1, ok),
                t0.plusSeconds(62));
        assertThat(answered.next().status()).as("a replaced dispatch's answer is the callee's, under the same key")
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(answered.changes()).singleElement().satisfies(c -> assertThat(c.outputJson())
                .isEqualTo("{\"charged\":5}"));
    }

    @Test
    void shouldNotTakeAFailureReadAfterItsDispatchsLeaseRanOut() {
        HttpResponse timedOut = HttpResponse.failed(HttpResponse.Failure.TIMED_OUT,
                "no complete response within 7000 ms");
        Decision started = start(CALL);
        Activity charge = started.effects().dispatched().get(0);
        Instant leaseEnd = started.next().progress().timers().get(charge.leaseTimer()).due();

        // a worker back from a stall puts the lease off while it reads what came meanwhile: a frozen runner's
        // time-out, reported when it woke past its lease, is not the callee's
        assertThat(machine.onActivityReported(started.next(), parse(CALL), new ActivityResult("e1", charge.seq(), 1,
                timedOut), leaseEnd.plusSeconds(2)).changesState()).as("read after the lease ran out").isFalse();
        assertThat(machine.onActivityReported(started.next(), parse(CALL), new ActivityResult("e1", charge.seq(), 1,
                timedOut), leaseEnd.minusSeconds(1)).next().status()).as("read within it: the call's")
                .isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void shouldParkOnAWaitAndGoOnWhenItsTimerFires() {
        Decision started = start(WAIT);
        Execution parked = started.next();
        Timer timer = started.effects().scheduled().get(0);
        assertThat(parked.progress().isParked()).isTrue();
        assertThat(timer.due()).isEqualTo(t0.plus(Duration.ofHours(1)));

        assertThat(machine.onTimer(parked, parse(WAIT), timer.seq() + 5, t0).changesState()).isFalse();
        Decision done = machine.onTimer(parked, parse(WAIT), timer.seq(), timer.due());
        assertThat(done.next().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.changes()).singleElement().satisfies(c -> assertThat(c.outputJson())
                .isEqualTo("{\"waited\":true}"));
    }

    @Test
    void shouldCancelALiveExecutionWithTheReasonAndDropItsTimers() {
        Decision started = start(WAIT);
        Timer timer = started.effects().scheduled().get(0);

        Decision stopped = machine.onStopRequested(started.next(), parse(WAIT),
                new StopRequest("e1", "t", "customer asked", t0.plusSeconds(1)), t0.plusSeconds(1));

        assertThat(stopped.next().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(stopped.changes()).singleElement().satisfies(c -> assertThat(c.error())
                .isEqualTo(new ExecutionError("CANCELLED", "customer asked")));
        assertThat(stopped.effects().cancelled()).containsExactly(timer);
        assertThat(stopped.effects().steps()).singleElement().satisfies(s -> assertThat(s.status().name())
                .isEqualTo("CANCELLED"));
    }

    @Test
    void shouldIgnoreAStopForAFinishedOrUnknownExecution() {
        Execution done = start(SET).next();

        assertThat(machine.onStopRequested(done, null, new StopRequest("e1", "t", null, t0), t0).changesState())
                .isFalse();
        assertThat(machine.onStopRequested(null, null, new StopRequest("e1", "t", null, t0), t0).changesState())
                .isFalse();
    }

    @Test
    void shouldIgnoreAStopThatNamesAnotherTenant() {
        Decision started = start(WAIT);

        assertThat(machine.onStopRequested(started.next(), parse(WAIT),
                new StopRequest("e1", "other", "not yours", t0.plusSeconds(1)), t0.plusSeconds(1)).changesState())
                .isFalse();
    }

    @Test
    void shouldYieldALongLoopAndGoOnOnlyFromTheLatestContinuation() {
        Decision first = start(LOOP);
        Execution running = first.next();
        assertThat(first.effects().yielded()).isTrue();
        long transitions = running.progress().transitions();

        assertThat(machine.onContinued(running, parse(LOOP), transitions - 1, t0).changesState())
                .as("a stale continuation").isFalse();
        Decision next = machine.onContinued(running, parse(LOOP), transitions, t0);
        assertThat(next.changesState()).isTrue();
        assertThat(running.progress().transitions()).isGreaterThan(transitions);
    }

    @Test
    void shouldFailAnExecutionThatTakesMoreStepsThanItsLimit() {
        ExecutionStateMachine strict = new ExecutionStateMachine(new Machine(new Limits(1_000, 120,
                Duration.ofSeconds(60), 2)), Duration.ofDays(14));

        Decision decision = strict.onRequested(null, request(LOOP), parse(LOOP), t0);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(decision.changes().get(2).error().code()).isEqualTo("STEP_LIMIT_EXCEEDED");
    }

    @Test
    void shouldFailOnAFaultAndDropEveryTimer() {
        Decision started = start(WAIT);

        Decision fault = machine.onFault(started.next(), new ExecutionError("ENGINE_ERROR", "boom"), t0, false);

        assertThat(fault.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(fault.dropped()).containsExactlyElementsOf(started.effects().scheduled());
        assertThat(machine.onFault(fault.next(), new ExecutionError("ENGINE_ERROR", "again"), t0, false).changesState())
                .isFalse();
    }

    @Test
    void shouldRejectIllegalTransitions() {
        Execution done = start(SET).next();

        assertThatThrownBy(() -> done.start(t0, 0)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> done.finish(ExecutionStatus.FAILED, t0))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void shouldKnowTerminalStatuses() {
        assertThat(ExecutionStatus.QUEUED.isTerminal()).isFalse();
        assertThat(ExecutionStatus.RUNNING.isTerminal()).isFalse();
        assertThat(ExecutionStatus.SUCCEEDED.isTerminal()).isTrue();
        assertThat(ExecutionStatus.TIMED_OUT.isTerminal()).isTrue();
    }
}
