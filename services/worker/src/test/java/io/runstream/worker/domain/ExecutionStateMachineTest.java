package io.runstream.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionStateMachineTest {

    private final ExecutionStateMachine machine = new ExecutionStateMachine(2);
    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    private final ExecutionRequest request = new ExecutionRequest("e1", "t", "demo", 3, "do: []", "{\"x\":1}", t0,
            Map.of("sourceSystem", "crm"));

    private Execution queued() {
        return machine.onRequested(null, request).next();
    }

    private RunOrder order() {
        return queued().runOrder();
    }

    @Test
    void shouldQueueANewExecutionAndDispatchItsFirstAttempt() {
        Decision decision = machine.onRequested(null, request);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(decision.next().sequence()).isEqualTo(1);
        assertThat(decision.changes()).singleElement().satisfies(c -> {
            assertThat(c.inputJson()).isEqualTo("{\"x\":1}");
            assertThat(c.metadata()).containsEntry("sourceSystem", "crm");
        });
        assertThat(decision.dispatch()).isEqualTo(new RunOrder("e1", "t", "demo", 3, "do: []", 1, "{\"x\":1}", false));
    }

    @Test
    void shouldIgnoreADuplicateRequest() {
        Decision decision = machine.onRequested(queued(), request);

        assertThat(decision.changesState()).isFalse();
        assertThat(decision.changes()).isEmpty();
        assertThat(decision.dispatch()).isNull();
    }

    @Test
    void shouldRunThenSucceedWithIncreasingSequence() {
        Decision running = machine.onReport(queued(), RunReport.started(order(), t0.plusMillis(5)));
        Decision done = machine.onReport(running.next(), RunReport.succeeded(order(), "{\"y\":2}", t0.plusMillis(9)));

        assertThat(running.next().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(running.next().sequence()).isEqualTo(2);
        assertThat(done.next().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.next().sequence()).isEqualTo(3);
        assertThat(done.changes()).singleElement().satisfies(c -> assertThat(c.outputJson()).isEqualTo("{\"y\":2}"));
    }

    @Test
    void shouldFailWithTheRunnersError() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();
        ExecutionError error = new ExecutionError("WORKFLOW_ERROR", "boom");

        Decision failed = machine.onReport(running, RunReport.failed(order(), error, t0));

        assertThat(failed.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.changes()).singleElement().satisfies(c -> assertThat(c.error()).isEqualTo(error));
    }

    @Test
    void shouldIgnoreReportsFromStaleAttemptsAndAfterTheEnd() {
        RunOrder stale = new RunOrder("e1", "t", "demo", 3, "do: []", 7, "{}", false);
        assertThat(machine.onReport(queued(), RunReport.started(stale, t0)).changesState()).isFalse();

        Execution done = machine.onReport(queued(), RunReport.succeeded(order(), "{}", t0)).next();
        assertThat(machine.onReport(done, RunReport.failed(order(), new ExecutionError("X", "late"), t0))
                .changesState()).isFalse();
        assertThat(machine.onReport(null, RunReport.started(order(), t0)).changesState()).isFalse();
    }

    @Test
    void shouldIgnoreADuplicateStartedReport() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();

        assertThat(machine.onReport(running, RunReport.started(order(), t0)).changesState()).isFalse();
    }

    @Test
    void shouldRejectIllegalTransitions() {
        Execution done = machine.onReport(queued(), RunReport.succeeded(order(), "{}", t0)).next();

        assertThatThrownBy(() -> done.start(t0)).isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("SUCCEEDED");
        assertThatThrownBy(() -> queued().finish(ExecutionStatus.RUNNING, t0))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void shouldDispatchANewAttemptWhenTheLeaseExpires() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();

        Decision retry = machine.onLeaseExpired(running, t0.plusSeconds(300));

        assertThat(retry.next().status()).isEqualTo(ExecutionStatus.QUEUED);
        assertThat(retry.next().attempt()).isEqualTo(2);
        assertThat(retry.next().sequence()).isEqualTo(3);
        assertThat(retry.dispatch()).isEqualTo(new RunOrder("e1", "t", "demo", 3, "do: []", 2, "{\"x\":1}", false));
        assertThat(machine.onReport(retry.next(), RunReport.succeeded(order(), "{}", t0)).changesState())
                .as("the old attempt's late report is stale").isFalse();
    }

    @Test
    void shouldFailWithRunLostOnceAttemptsAreUsedUp() {
        Execution second = machine.onLeaseExpired(queued(), t0).next();

        Decision lost = machine.onLeaseExpired(second, t0.plusSeconds(600));

        assertThat(lost.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(lost.dispatch()).isNull();
        assertThat(lost.changes()).singleElement().satisfies(c -> assertThat(c.error().code()).isEqualTo("RUN_LOST"));
        assertThat(machine.onLeaseExpired(lost.next(), t0).changesState()).isFalse();
    }

    @Test
    void shouldRenewTheLeaseOnAHeartbeatWithoutChangingState() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();

        Decision heartbeat = machine.onReport(running, RunReport.started(order(), t0.plusSeconds(60)));

        assertThat(heartbeat.changesState()).isFalse();
        assertThat(heartbeat.changes()).isEmpty();
        assertThat(heartbeat.renewsLease()).isTrue();
    }

    @Test
    void shouldEndTimedOutWhenTheRunnerReportsATimeout() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();

        Decision timedOut = machine.onReport(running, RunReport.timedOut(order(),
                new ExecutionError("WORKFLOW_TIMEOUT", "Timed out"), t0.plusSeconds(1)));

        assertThat(timedOut.next().status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(timedOut.renewsLease()).isFalse();
        assertThat(timedOut.changes()).singleElement()
                .satisfies(c -> assertThat(c.error().code()).isEqualTo("WORKFLOW_TIMEOUT"));
    }

    @Test
    void shouldCancelALiveExecutionWithTheReasonAndTellItsRunnerToStop() {
        Execution running = machine.onReport(queued(), RunReport.started(order(), t0)).next();

        Decision stop = machine.onStopRequested(running, new StopRequest("e1", "customer withdrew",
                t0.plusSeconds(2)));

        assertThat(stop.next().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(stop.changes()).singleElement().satisfies(c -> {
            assertThat(c.error()).isEqualTo(new ExecutionError("CANCELLED", "customer withdrew"));
            assertThat(c.occurredAt()).isEqualTo(t0.plusSeconds(2));
        });
        assertThat(stop.dispatch().cancel()).isTrue();
        assertThat(stop.dispatch().attempt()).isEqualTo(1);
        assertThat(machine.onReport(stop.next(), RunReport.succeeded(order(), "{}", t0.plusSeconds(3)))
                .changesState()).as("the cancelled run's late outcome is ignored").isFalse();
    }

    @Test
    void shouldIgnoreAStopForAFinishedOrUnknownExecution() {
        Execution done = machine.onReport(queued(), RunReport.succeeded(order(), "{}", t0)).next();
        StopRequest stop = new StopRequest("e1", null, t0);

        assertThat(machine.onStopRequested(done, stop).changesState()).isFalse();
        assertThat(machine.onStopRequested(done, stop).dispatch()).isNull();
        assertThat(machine.onStopRequested(null, stop).changesState()).isFalse();
    }

    @Test
    void shouldKnowTerminalStatuses() {
        assertThat(ExecutionStatus.QUEUED.isTerminal()).isFalse();
        assertThat(ExecutionStatus.RUNNING.isTerminal()).isFalse();
        assertThat(ExecutionStatus.SUCCEEDED.isTerminal()).isTrue();
        assertThat(ExecutionStatus.TIMED_OUT.isTerminal()).isTrue();
    }
}
