package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JvmWorkTest {

    /** An exposition as the worker serves it: the JIT's time, pauses of two causes, and series it does not read. */
    private static String exposition(double compileMillis, double evacuationSeconds, double evacuations,
            double metadataSeconds, double metadataPauses) {
        String minor = "action=\"end of minor GC\",cause=\"%s\",gc=\"G1 Young Generation\",service=\"runstream-worker\"";
        String evacuation = "{" + minor.formatted("G1 Evacuation Pause") + "}";
        String metadata = "{" + minor.formatted("Metadata GC Threshold") + "}";
        return String.join("\n",
                "# HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation",
                "# TYPE jvm_compilation_time_ms_total counter",
                "jvm_compilation_time_ms_total{compiler=\"HotSpot 64-Bit Tiered Compilers\","
                        + "service=\"runstream-worker\"} " + compileMillis,
                "jvm_gc_pause_seconds_count" + evacuation + " " + evacuations,
                "jvm_gc_pause_seconds_sum" + evacuation + " " + evacuationSeconds,
                "jvm_gc_pause_seconds_count" + metadata + " " + metadataPauses,
                "jvm_gc_pause_seconds_sum" + metadata + " " + metadataSeconds,
                "jvm_gc_pause_seconds_max" + evacuation + " 0.084",
                "jvm_gc_concurrent_phase_time_seconds_sum{service=\"runstream-worker\"} 12.5",
                "kafka_stream_state_record_e2e_latency_avg{task_id=\"2_0\"} NaN",
                "");
    }

    @Test
    void shouldSumThePausesOfEveryCause() {
        JvmWork.Counters counters = JvmWork.Counters.parse(exposition(357_204, 3.054, 67, 0.031, 1));

        assertThat(counters.compileMillis()).isEqualTo(357_204);
        assertThat(counters.pauseSeconds()).isCloseTo(3.085, within(1e-9));
        assertThat(counters.pauses()).isEqualTo(68);
    }

    @Test
    void shouldSayHowMuchTheJvmCompiledAndPausedOverTheRun() {
        JvmWork.Counters before = JvmWork.Counters.parse(exposition(300_000, 2.0, 60, 0.03, 1));
        // 40 s later: 16.8 s of compiling, 8 pauses of 0.24 s in all
        JvmWork.Counters after = JvmWork.Counters.parse(exposition(316_800, 2.24, 68, 0.03, 1));

        JvmWork.Figures figures = JvmWork.Figures.between(before, after, 40);

        assertThat(figures.compileMillisPerSecond()).isCloseTo(420, within(1e-9));
        assertThat(figures.pauseShare()).isCloseTo(0.006, within(1e-9));
        assertThat(figures.meanPauseMillis()).isCloseTo(30, within(1e-9));
        assertThat(figures.line()).isEqualTo("worker's JVM: JIT compiling 420 ms a second (its threads' time); 8 GC "
                + "pauses, 30.0 ms each on average, paused 0.6 % of the time");
    }

    @Test
    void shouldSayNoPausesRatherThanDivideByNone() {
        JvmWork.Counters same = JvmWork.Counters.parse(exposition(1_000, 1.0, 10, 0, 0));

        assertThat(JvmWork.Figures.between(same, same, 10).line()).isEqualTo("worker's JVM: JIT compiling 0 ms a second "
                + "(its threads' time); 0 GC pauses, 0.0 ms each on average, paused 0.0 % of the time");
    }

    @Test
    void shouldSaySoWhenTheJvmWasRestartedDuringTheRun() {
        JvmWork.Counters before = JvmWork.Counters.parse(exposition(300_000, 2.0, 60, 0.03, 1));
        JvmWork.Counters after = JvmWork.Counters.parse(exposition(40_000, 0.1, 3, 0, 0));

        JvmWork.Figures figures = JvmWork.Figures.between(before, after, 40);

        assertThat(figures.restarted()).isTrue();
        assertThat(figures.line()).isEqualTo("worker's JVM: its counters started again during the run (restarted), "
                + "not measured");
    }
}
