package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StreamCommitsTest {

    private static final String THREAD_1 = "{kafka_version=\"4.2.1\",service=\"runstream-worker\","
            + "thread_id=\"runstream-worker-77eb-StreamThread-1\"}";
    private static final String THREAD_2 = THREAD_1.replace("StreamThread-1", "StreamThread-2");
    private static final String PRODUCER_1 = "{client_id=\"runstream-worker-77eb-StreamThread-1-producer\","
            + "kafka_version=\"4.2.1\",service=\"runstream-worker\"}";
    private static final String PRODUCER_2 = PRODUCER_1.replace("StreamThread-1", "StreamThread-2");
    private static final String RUNNER = "{client_id=\"runstream-runner-producer-1\",service=\"runstream-worker\"}";

    /**
     * An exposition as the worker serves it, with two stream threads, a producer of its own (not counted) and series
     * it does not read, one of them infinite.
     */
    private static String exposition(double commits, double processed, double blockedNanos, double flushNanos,
            double offsetsNanos, double commitNanos) {
        return String.join("\n",
                "# HELP kafka_stream_thread_commit_total The total number of calls to commit",
                "# TYPE kafka_stream_thread_commit_total counter",
                "kafka_stream_thread_commit_total" + THREAD_1 + " " + commits / 2,
                "kafka_stream_thread_commit_total" + THREAD_2 + " " + commits / 2,
                "kafka_stream_thread_commit_latency_avg" + THREAD_1 + " 0.96",
                "kafka_stream_thread_process_total" + THREAD_1 + " " + processed,
                "kafka_stream_thread_blocked_time_ns_total" + THREAD_1 + " " + blockedNanos / 2,
                "kafka_stream_thread_blocked_time_ns_total" + THREAD_2 + " " + blockedNanos / 2,
                "kafka_producer_flush_time_ns_total" + PRODUCER_1 + " " + flushNanos / 2,
                "kafka_producer_flush_time_ns_total" + PRODUCER_2 + " " + flushNanos / 2,
                "kafka_producer_flush_time_ns_total" + RUNNER + " 9.9E12",
                "kafka_producer_txn_send_offsets_time_ns_total" + PRODUCER_1 + " " + offsetsNanos,
                "kafka_producer_txn_commit_time_ns_total" + PRODUCER_2 + " " + commitNanos,
                "jvm_threads_live_threads{service=\"runstream-worker\"} 180.0",
                "http_server_requests_seconds_bucket{le=\"+Inf\",uri=\"/actuator/prometheus\"} 3.0",
                "kafka_stream_thread_commit_latency_max" + THREAD_2 + " +Inf",
                "kafka_stream_state_record_e2e_latency_avg{task_id=\"2_0\"} NaN",
                "");
    }

    @Test
    void shouldSumTheStreamThreadsAndTheirProducersOnly() {
        StreamCommits.Counters counters = StreamCommits.Counters.parse(exposition(100, 4_000, 6.0E9, 5.8601584908E10,
                2.0E9, 1.0E9));

        assertThat(counters.threads()).isEqualTo(2);
        assertThat(counters.commits()).isEqualTo(100);
        assertThat(counters.processed()).isEqualTo(4_000);
        assertThat(counters.blockedNanos()).isEqualTo(6.0E9);
        assertThat(counters.flushNanos()).as("the runner's producer is not a stream thread's").isEqualTo(5.8601584908E10);
        assertThat(counters.offsetsNanos()).isEqualTo(2.0E9);
        assertThat(counters.commitNanos()).isEqualTo(1.0E9);
    }

    @Test
    void shouldSayWhatACommitWaitedForOverTheRun() {
        StreamCommits.Counters before = StreamCommits.Counters.parse(exposition(1_000, 10_000, 1.0E10, 1.0E10,
                4.0E9, 1.0E9));
        // 30 s later: 1,500 commits of 6,000 records, the two threads blocked 48 s of their 60
        StreamCommits.Counters after = StreamCommits.Counters.parse(exposition(2_500, 16_000, 5.8E10, 2.2E10,
                1.0E10, 3.1E9));

        StreamCommits.Figures figures = StreamCommits.Figures.between(before, after, 30);

        assertThat(figures.commitsPerSecond()).isEqualTo(50);
        assertThat(figures.blockedShare()).isCloseTo(0.8, within(1e-9));
        // 12 + 6 + 2.1 s waited for commits, of the threads' 60 s
        assertThat(figures.commitShare()).isCloseTo(0.335, within(1e-9));
        assertThat(figures.line()).isEqualTo("worker's stream threads (2): 50.0 commits/s, 4.0 records each, "
                + "in commits 34 % of the time (blocked on Kafka 80 %, waits for input included); a commit waited "
                + "8.0 ms for acknowledgements, 4.0 ms for its offsets, 1.4 ms for the commit");
    }

    @Test
    void shouldSaySoWhenNothingWasCommitted() {
        StreamCommits.Counters same = StreamCommits.Counters.parse(exposition(10, 10, 1.0E9, 1.0E9, 1.0E9, 1.0E9));

        assertThat(StreamCommits.Figures.between(same, same, 10).line())
                .isEqualTo("worker's stream threads: no commit in the run");
    }

    @Test
    void shouldSaySoWhenTheCountersStartedAgainDuringTheRun() {
        StreamCommits.Counters before = StreamCommits.Counters.parse(exposition(1_000, 10_000, 1.0E10, 1.0E10,
                4.0E9, 1.0E9));
        // the thread's producer replaced meanwhile: its counters began again from nothing, the thread's did not
        StreamCommits.Counters after = StreamCommits.Counters.parse(exposition(2_500, 16_000, 5.8E10, 2.0E9,
                1.0E9, 3.0E8));

        StreamCommits.Figures figures = StreamCommits.Figures.between(before, after, 30);

        assertThat(figures.restarted()).isTrue();
        assertThat(figures.measured()).isFalse();
        assertThat(figures.line()).isEqualTo("worker's stream threads: their counters started again during the run "
                + "(a stream thread or its producer was replaced), not measured");
    }
}
