package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each start's time split at the points read from the log, as percentiles of the starts seen end. */
class StageTimesTest {

    /** The points of the log, by execution. */
    private final Map<String, StageTimes.Points> points = new HashMap<>();

    @Test
    void shouldSplitEachAnsweredStartAtThePointsSeenOnTheLog() {
        StageTimes times = new StageTimes(HttpLoad.ResponseHook.NONE);
        long now = System.currentTimeMillis();
        // answered now, due 100 ms ago (as the load sees it: its due time in nanos)
        times.onResponse(1, System.nanoTime() - 100_000_000L, "{\"executionId\":\"a\",\"status\":\"SUCCEEDED\"}");
        points.put("a", new StageTimes.Points(now - 90, now - 80, now - 50, now - 50, now - 20));
        times.onResponse(2, System.nanoTime(), "{\"executionId\":\"b\"}");

        String line = times.line(points::get);

        assertThat(line).startsWith("stages p50/p99 ms (1 starts): ").contains("accepted->sent 10.0/10.0",
                "sent->RUNNING 30.0/30.0", "RUNNING->ended 0.0/0.0", "ended->on the log 30.0/30.0");
        // the load's and the log's clocks are read a moment apart: within a few ms
        assertThat(millisAfter(line, "due->accepted ")).isBetween(5.0, 11.0);
        assertThat(millisAfter(line, "on the log->answered ")).isBetween(19.0, 25.0);
        assertThat(times.line(points::get)).as("what it read is cleared").contains("none of the answered starts");
    }

    /** The p50 printed after {@code label}. */
    private static double millisAfter(String line, String label) {
        int from = line.indexOf(label) + label.length();
        return Double.parseDouble(line.substring(from, line.indexOf('/', from)));
    }
}
