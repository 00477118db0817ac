package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.engine.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which due timers a stall puts off, and until when. */
class CatchUpTest {

    private static final long NOW = 1_000_000L;
    private final CatchUp catchUp = new CatchUp(Duration.ofSeconds(5));

    @Test
    void shouldPutNothingOffWithoutAStall() {
        assertThat(catchUp.checkRan(NOW, CatchUp.STALL.toMillis())).isFalse();

        assertThat(catchUp.running(NOW)).isFalse();
        assertThat(catchUp.firesAt(Timer.Kind.ACTIVITY_LEASE, NOW)).isEqualTo(NOW);
    }

    @Test
    void shouldPutLeasesAndTimeoutsOffAfterAStallButNotDelays() {
        assertThat(catchUp.checkRan(NOW, 20_000)).isTrue();

        for (Timer.Kind kind : Timer.Kind.values()) {
            long expected = kind == Timer.Kind.WAIT || kind == Timer.Kind.RETRY ? NOW : NOW + 5_000;
            assertThat(catchUp.firesAt(kind, NOW)).as(kind.name()).isEqualTo(expected);
        }
        assertThat(catchUp.firesAt(Timer.Kind.ACTIVITY_LEASE, NOW + 5_000)).as("after it").isEqualTo(NOW + 5_000);
        assertThat(catchUp.running(NOW + 5_000)).isFalse();
    }

    @Test
    void shouldLastFromTheLatestStall() {
        catchUp.start(NOW);
        catchUp.checkRan(NOW + 3_000, 2_000);

        assertThat(catchUp.firesAt(Timer.Kind.TASK_TIMEOUT, NOW + 6_000)).isEqualTo(NOW + 8_000);
        catchUp.start(NOW + 2_000);
        assertThat(catchUp.firesAt(Timer.Kind.TASK_TIMEOUT, NOW + 6_000)).as("not shortened").isEqualTo(NOW + 8_000);
    }

    @Test
    void shouldNeverPutOffWithoutACatchUpLength() {
        CatchUp none = new CatchUp(Duration.ZERO);
        none.checkRan(NOW, 20_000);

        assertThat(none.firesAt(Timer.Kind.ACTIVITY_LEASE, NOW)).isEqualTo(NOW);
    }
}
