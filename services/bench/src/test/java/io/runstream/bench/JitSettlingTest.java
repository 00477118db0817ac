package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JitSettlingTest {

    private final JitSettling settling = new JitSettling(100, 20);

    /** A 30 s window in which the JIT compiled for {@code compileMillis} in all. */
    private static JvmWork.Figures window(double compileMillis) {
        return new JvmWork.Figures(30, compileMillis, 0.3, 12);
    }

    @Test
    void shouldSettleOnceAWindowCompiledNoMoreThanTheLimit() {
        assertThat(settling.settled(window(30 * 590))).isFalse();
        assertThat(settling.settled(window(30 * 101))).isFalse();
        assertThat(settling.settled(window(30 * 100))).isTrue();
        assertThat(settling.settled(window(30 * 12))).isTrue();
    }

    @Test
    void shouldNotSettleOnAWindowThatWasNotReadOrSawTheJvmRestart() {
        assertThat(settling.settled(null)).isFalse();
        // the counters went back: a new JVM, whose compiler has all its work ahead of it
        assertThat(settling.settled(new JvmWork.Figures(30, -250_000, -2.0, -60))).isFalse();
    }

    @Test
    void shouldSayWhetherTheWarmUpEndedSettled() {
        assertThat(settling.outcome(7, true)).isEqualTo("settled after 7 window(s): JIT at most 100 ms a second");
        assertThat(settling.outcome(20, false))
                .isEqualTo("not settled after 20 window(s) (JIT still above 100 ms a second): measuring anyway");
    }

    @Test
    void shouldRefuseALimitOrWindowsThatCouldNeverEndTheWarmUp() {
        assertThatThrownBy(() -> new JitSettling(-5, 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--settle-jit-ms");
        assertThatThrownBy(() -> new JitSettling(100, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--settle-windows");
    }
}
