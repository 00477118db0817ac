package io.runstream.bench;

import java.util.Locale;

/**
 * What the worker's JVM spent on itself during a measured run, from its Prometheus counters read before and after:
 * its JIT compiler's time and its garbage collector's pauses. In the dev stack every service and the broker share that
 * JVM. A stack's first minutes at a new load are largely its JIT compiler at work, so a run's latency says little
 * without this line next to it. The compiler's time is the JVM's own count: elapsed time summed over its compiler
 * threads, so on a busy machine it includes their waits for a processor, and it can pass 1,000 ms a second.
 */
final class JvmWork {

    static final String COMPILE_MILLIS = "jvm_compilation_time_ms_total";
    static final String PAUSE_SECONDS = "jvm_gc_pause_seconds_sum";
    static final String PAUSES = "jvm_gc_pause_seconds_count";

    private JvmWork() {
    }

    /** The JVM's compile time and its pauses (summed over the collectors and causes) at one moment. */
    record Counters(double compileMillis, double pauseSeconds, double pauses) {

        /** Reads the counters from a Prometheus text exposition; other series are not looked at. */
        static Counters parse(String exposition) {
            return new Counters(PrometheusText.sum(exposition, COMPILE_MILLIS),
                    PrometheusText.sum(exposition, PAUSE_SECONDS), PrometheusText.sum(exposition, PAUSES));
        }
    }

    /** The difference between two readings over {@code seconds}. */
    record Figures(double seconds, double compileMillis, double pauseSeconds, double pauses) {

        static Figures between(Counters before, Counters after, double seconds) {
            return new Figures(seconds, after.compileMillis() - before.compileMillis(),
                    after.pauseSeconds() - before.pauseSeconds(), after.pauses() - before.pauses());
        }

        /** The JIT compiler's time in ms a second of the run, summed over its threads. */
        double compileMillisPerSecond() {
            return compileMillis / seconds;
        }

        /** The share of the run the JVM stood paused for its collector, 0 to 1. */
        double pauseShare() {
            return pauseSeconds / seconds;
        }

        /** A pause's mean length in ms, 0 without pauses. */
        double meanPauseMillis() {
            return pauses == 0 ? 0 : pauseSeconds * 1e3 / pauses;
        }

        /** A counter went back: the JVM was not the same at both readings (the stack was restarted). */
        boolean restarted() {
            return compileMillis < 0 || pauseSeconds < 0 || pauses < 0;
        }

        String line() {
            if (restarted()) {
                return "worker's JVM: its counters started again during the run (restarted), not measured";
            }
            return String.format(Locale.ROOT, "worker's JVM: JIT compiling %.0f ms a second (its threads' time); "
                    + "%.0f GC pauses, %.1f ms each on average, paused %.1f %% of the time", compileMillisPerSecond(),
                    pauses, meanPauseMillis(), 100 * pauseShare());
        }
    }
}
