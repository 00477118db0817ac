package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each start's time split at the points read from the log, as percentiles of the starts seen end. */
class StageTimesTest {

    /** The points of the log, by execution: accepted, sent, running, ended, seen (epoch millis). */
    private final Map<String, long[]> points = new HashMap<>();

    private final StageTimes.Seen seen = new StageTimes.Seen() {
        @Override
        public Long requestedAt(String id) {
            return point(id, 0);
        }

        @Override
        public Long commandWrittenAt(String id) {
            return point(id, 1);
        }

        @Override
        public Long runningOccurredAt(String id) {
            return point(id, 2);
        }

        @Override
        public Long terminalOccurredAt(String id) {
            return point(id, 3);
        }

        @Override
        public Long terminalSeenAt(String id) {
            return point(id, 4);
        }

        private Long point(String id, int index) {
            long[] p = points.get(id);
            return p == null ? null : p[index];
        }
    };

    @Test
    void shouldSplitEachAnsweredStartAtThePointsSeenOnTheLog() {
        StageTimes times = new StageTimes(HttpLoad.ResponseHook.NONE);
        long now = System.currentTimeMillis();
        // answered now, due 100 ms ago (as the load sees it: its due time in nanos)
        times.onResponse(1, System.nanoTime() - 100_000_000L, "{\"executionId\":\"a\",\"status\":\"SUCCEEDED\"}");
        points.put("a", new long[] {now - 90, now - 80, now - 50, now - 50, now - 20});
        times.onResponse(2, System.nanoTime(), "{\"executionId\":\"b\"}");

        String line = times.line(seen);

        assertThat(line).startsWith("stages p50/p99 ms (1 starts): ").contains("accepted->sent 10.0/10.0",
                "sent->RUNNING 30.0/30.0", "RUNNING->ended 0.0/0.0", "ended->on the log 30.0/30.0");
        // the load's and the log's clocks are read a moment apart: within a few ms
        assertThat(millisAfter(line, "due->accepted ")).isBetween(5.0, 11.0);
        assertThat(millisAfter(line, "on the log->answered ")).isBetween(19.0, 25.0);
        assertThat(times.line(seen)).as("what it read is cleared").contains("none of the answered starts");
    }

    /** The p50 printed after {@code label}. */
    private static double millisAfter(String line, String label) {
        int from = line.indexOf(label) + label.length();
        return Double.parseDouble(line.substring(from, line.indexOf('/', from)));
    }
}
