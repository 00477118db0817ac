package io.runstream.bench;

import java.util.Locale;

/**
 * When a warm-up at the offered load may end: once the worker's JIT compiler spent at most {@code maxCompileMillis}
 * a second during one window, or after {@code maxWindows} windows however much it still compiles. A stack started
 * afresh compiles for minutes at a new load (600–1,000 ms a second at 200/s after a closed-loop warm-up of 10,000
 * starts), and a latency measured meanwhile is mostly the compiler's.
 */
record JitSettling(double maxCompileMillis, int maxWindows) {

    JitSettling {
        if (maxCompileMillis <= 0 || maxWindows < 1) {
            throw new IllegalArgumentException("--settle-jit-ms must be above 0 and --settle-windows at least 1, not "
                    + maxCompileMillis + " and " + maxWindows);
        }
    }

    /** The JVM compiled little enough in this window to measure after it; false when it was not read or restarted. */
    boolean settled(JvmWork.Figures window) {
        return window != null && !window.restarted() && window.compileMillisPerSecond() <= maxCompileMillis;
    }

    /** The line printed when the warm-up ends, after {@code windows} windows. */
    String outcome(int windows, boolean settled) {
        return settled
                ? String.format(Locale.ROOT, "settled after %d window(s): JIT at most %.0f ms a second", windows,
                        maxCompileMillis)
                : String.format(Locale.ROOT, "not settled after %d window(s) (JIT still above %.0f ms a second): "
                        + "measuring anyway", windows, maxCompileMillis);
    }
}
