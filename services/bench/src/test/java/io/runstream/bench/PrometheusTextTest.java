package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String EXPOSITION = String.join("\n",
            "# HELP kafka_stream_state_estimate_num_keys The estimated number of keys",
            "# TYPE kafka_stream_state_estimate_num_keys gauge",
            "kafka_stream_state_estimate_num_keys{task_id=\"1_0\",store=\"executions\"} 120.0",
            "kafka_stream_state_estimate_num_keys{task_id=\"1_1\",store=\"executions\"} 80.0",
            "kafka_stream_state_estimate_num_keys_extra{task_id=\"1_1\"} 5.0",
            "process_uptime_seconds 42.5",
            "http_server_requests_seconds_bucket{le=\"+Inf\",uri=\"/\"} 3.0",
            "kafka_stream_thread_commit_latency_max{thread_id=\"t\"} +Inf",
            "");

    @Test
    void shouldParseOnlyTheSeriesAskedFor() {
        assertThat(PrometheusText.samples(EXPOSITION, Set.of("kafka_stream_state_estimate_num_keys",
                "process_uptime_seconds"))).containsExactly(
                        new PrometheusText.Sample("kafka_stream_state_estimate_num_keys",
                                "{task_id=\"1_0\",store=\"executions\"}", 120.0),
                        new PrometheusText.Sample("kafka_stream_state_estimate_num_keys",
                                "{task_id=\"1_1\",store=\"executions\"}", 80.0),
                        new PrometheusText.Sample("process_uptime_seconds", "", 42.5));
    }

    @Test
    void shouldSumAMetricOverItsLabelSets() {
        assertThat(PrometheusText.sum(EXPOSITION, "kafka_stream_state_estimate_num_keys")).isEqualTo(200.0);
        assertThat(PrometheusText.sum(EXPOSITION, "kafka_stream_thread_commit_total")).isZero();
    }
}
