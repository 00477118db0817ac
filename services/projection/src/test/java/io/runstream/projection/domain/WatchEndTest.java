package io.runstream.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WatchEndTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static ExecutionView view(ExecutionStatus status, long sequence, int redriveCount) {
        return new ExecutionView(UUID.randomUUID(), "t", "demo", status, sequence, 1, "{}", null, null, T0,
                status.isTerminal() ? T0.plusSeconds(1) : null, Map.of(), null, redriveCount, java.util.List.of(),
                null);
    }

    @Test
    void shouldEndAtTheFirstTerminalStateByDefault() {
        assertThat(WatchEnd.TERMINAL.endsAt(view(ExecutionStatus.RUNNING, 2, 0))).isFalse();
        assertThat(WatchEnd.TERMINAL.endsAt(view(ExecutionStatus.FAILED, 3, 0))).isTrue();
        assertThat(WatchEnd.TERMINAL.endsAt(view(ExecutionStatus.TIMED_OUT, 3, 0))).isTrue();
        assertThat(WatchEnd.TERMINAL.endsAt(view(ExecutionStatus.SUCCEEDED, 5, 1))).isTrue();
    }

    @Test
    void shouldNotTakeATerminalStateOlderThanTheMinimumSequenceForTheAnswer() {
        WatchEnd afterRedrive = WatchEnd.terminalFrom(4);

        assertThat(afterRedrive.endsAt(view(ExecutionStatus.FAILED, 3, 0))).isFalse();
        assertThat(afterRedrive.endsAt(view(ExecutionStatus.RUNNING, 4, 1))).isFalse();
        assertThat(afterRedrive.endsAt(view(ExecutionStatus.FAILED, 4, 1))).isTrue();
        assertThat(afterRedrive.endsAt(view(ExecutionStatus.SUCCEEDED, 5, 1))).isTrue();
    }

    @Test
    void shouldFollowFailuresIntoTheirRedrivesAndEndAtAFinalState() {
        WatchEnd follow = WatchEnd.followingRedrives();

        assertThat(follow.endsAt(view(ExecutionStatus.FAILED, 3, 0))).isFalse();
        assertThat(follow.endsAt(view(ExecutionStatus.TIMED_OUT, 3, 0))).isFalse();
        assertThat(follow.endsAt(view(ExecutionStatus.RUNNING, 4, 1))).isFalse();
        assertThat(follow.endsAt(view(ExecutionStatus.SUCCEEDED, 5, 1))).isTrue();
        assertThat(follow.endsAt(view(ExecutionStatus.CANCELLED, 5, 1))).isTrue();
    }

    @Test
    void shouldRejectAMinimumSequenceBelowOne() {
        assertThatThrownBy(() -> WatchEnd.terminalFrom(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minSequence");
    }
}
