package io.runstream.bench;

import java.util.Arrays;

/** Throughput and latency percentiles of one measured run. */
record Stats(String name, int count, int errors, double seconds, long[] latenciesMicros) {

    Stats withErrors(int errors) {
        return new Stats(name, count, errors, seconds, latenciesMicros);
    }

    double perSecond() {
        return count / seconds;
    }

    double percentileMillis(double p) {
        if (latenciesMicros.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latenciesMicros.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    static String header() {
        return String.format("%-44s %8s %7s %10s %9s %9s %9s %9s", "measurement", "count", "errors", "per sec",
                "p50 ms", "p95 ms", "p99 ms", "max ms");
    }

    String row() {
        return String.format("%-44s %8d %7d %10.0f %9.2f %9.2f %9.2f %9.2f", name, count, errors, perSecond(),
                percentileMillis(50), percentileMillis(95), percentileMillis(99), percentileMillis(100));
    }
}
