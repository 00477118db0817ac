package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;

class InFlightCallsTest {

    private final InFlightCalls calls = new InFlightCalls(1_000);
    private final InFlightCalls.Key key = new InFlightCalls.Key("e1", 3);

    @Test
    void shouldStopACallThatRunsWhenItIsCancelled() {
        Disposable call = Disposables.single();
        assertThat(calls.started(key, call, 0)).isTrue();

        assertThat(calls.cancel(key, 10)).isTrue();
        assertThat(call.isDisposed()).isTrue();
        assertThat(calls.running()).isZero();
    }

    @Test
    void shouldStopACallAtOnceWhenItsCancelCameFirstAndForgetTheCancelLater() {
        assertThat(calls.cancel(key, 0)).as("nothing ran yet").isFalse();
        Disposable call = Disposables.single();

        assertThat(calls.started(key, call, 500)).isFalse();
        assertThat(call.isDisposed()).isTrue();
        assertThat(calls.isCancelled(key, 999)).isTrue();
        assertThat(calls.isCancelled(key, 1_001)).as("after the longest a dispatch may wait").isFalse();
    }

    @Test
    void shouldLeaveOtherActivitiesAlone() {
        Disposable other = Disposables.single();
        calls.started(new InFlightCalls.Key("e1", 4), other, 0);

        calls.cancel(key, 0);
        assertThat(other.isDisposed()).isFalse();
        calls.ended(new InFlightCalls.Key("e1", 4));
        assertThat(calls.running()).isZero();
    }
}
