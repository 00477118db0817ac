package io.runstream.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a worker's stream threads spent a measured run, from its Prometheus counters read before and after: commits a
 * second, records processed per commit, the share of the threads' time spent waiting for their commits' round trips
 * and the share blocked on Kafka at all (waiting for input included), and what one commit waited for in the threads'
 * producers (the produce acknowledgements, the offsets sent to the transaction, the transaction's commit). While a
 * worker keeps up its commits are early ones ({@code runstream.worker.commits}), asked right after an input, so these
 * say how much of a start's latency is its commit and the commit it waited behind.
 */
final class StreamCommits {

    /** The series read, each summed over the stream threads (or, for a producer's, their producers). */
    enum Series {
        COMMITS("kafka_stream_thread_commit_total"),
        PROCESSED("kafka_stream_thread_process_total"),
        BLOCKED_NANOS("kafka_stream_thread_blocked_time_ns_total"),
        FLUSH_NANOS("kafka_producer_flush_time_ns_total"),
        OFFSETS_NANOS("kafka_producer_txn_send_offsets_time_ns_total"),
        COMMIT_NANOS("kafka_producer_txn_commit_time_ns_total");

        private static final Map<String, Series> BY_NAME = Arrays.stream(values())
                .collect(Collectors.toUnmodifiableMap(s -> s.metric, s -> s));

        private final String metric;

        Series(String metric) {
            this.metric = metric;
        }

        /** A producer's series counts only for a stream thread's producer, not for the worker's other producers. */
        boolean counts(String labels) {
            return !metric.startsWith("kafka_producer_") || labels.contains("-StreamThread-");
        }
    }

    /** The counters summed over a worker's stream threads (and their producers) at one moment. */
    record Counters(int threads, double commits, double processed, double blockedNanos, double flushNanos,
            double offsetsNanos, double commitNanos) {

        /** Reads the counters from a Prometheus text exposition; other series are not looked at. */
        static Counters parse(String exposition) {
            Set<String> threads = new HashSet<>();
            Map<Series, Double> sums = new EnumMap<>(Series.class);
            for (PrometheusText.Sample sample : PrometheusText.samples(exposition, Series.BY_NAME.keySet())) {
                Series series = Series.BY_NAME.get(sample.name());
                if (series.counts(sample.labels())) {
                    sums.merge(series, sample.value(), Double::sum);
                }
                if (series == Series.COMMITS) {
                    threads.add(sample.labels());
                }
            }
            return new Counters(threads.size(), sums.getOrDefault(Series.COMMITS, 0.0),
                    sums.getOrDefault(Series.PROCESSED, 0.0), sums.getOrDefault(Series.BLOCKED_NANOS, 0.0),
                    sums.getOrDefault(Series.FLUSH_NANOS, 0.0), sums.getOrDefault(Series.OFFSETS_NANOS, 0.0),
                    sums.getOrDefault(Series.COMMIT_NANOS, 0.0));
        }
    }

    /** The difference between two readings over {@code seconds}. */
    record Figures(int threads, double seconds, double commits, double processed, double blockedNanos,
            double flushNanos, double offsetsNanos, double commitNanos) {

        static Figures between(Counters before, Counters after, double seconds) {
            return new Figures(after.threads(), seconds, after.commits() - before.commits(),
                    after.processed() - before.processed(), after.blockedNanos() - before.blockedNanos(),
                    after.flushNanos() - before.flushNanos(), after.offsetsNanos() - before.offsetsNanos(),
                    after.commitNanos() - before.commitNanos());
        }

        double commitsPerSecond() {
            return commits / seconds;
        }

        /** The share of the stream threads' time blocked on Kafka, waiting for input included, 0 to 1. */
        double blockedShare() {
            return share(blockedNanos);
        }

        /** The share of the stream threads' time spent waiting for their commits' round trips, 0 to 1. */
        double commitShare() {
            return share(flushNanos + offsetsNanos + commitNanos);
        }

        double recordsPerCommit() {
            return processed / commits;
        }

        /** What one commit waited for the produce acknowledgements, in ms. */
        double acksMillisPerCommit() {
            return flushNanos / 1e6 / commits;
        }

        /** What one commit waited for its offsets to be sent to the transaction, in ms. */
        double offsetsMillisPerCommit() {
            return offsetsNanos / 1e6 / commits;
        }

        /** What one commit waited for the transaction's commit, in ms. */
        double commitMillisPerCommit() {
            return commitNanos / 1e6 / commits;
        }

        private double share(double nanos) {
            return threads == 0 ? Double.NaN : nanos / 1e9 / seconds / threads;
        }

        /**
         * Whether a counter went back during the run: a stream thread, or its producer, was replaced (after its
         * group expelled it, or a transaction was fenced), and the differences mean nothing.
         */
        boolean restarted() {
            return commits < 0 || processed < 0 || blockedNanos < 0 || flushNanos < 0 || offsetsNanos < 0
                    || commitNanos < 0;
        }

        /** Whether there is anything to say: commits made, none of the counters restarted. */
        boolean measured() {
            return commits > 0 && !restarted();
        }

        String line() {
            if (restarted()) {
                return "worker's stream threads: their counters started again during the run (a stream thread or "
                        + "its producer was replaced), not measured";
            }
            if (commits <= 0) {
                return "worker's stream threads: no commit in the run";
            }
            return String.format(Locale.ROOT, "worker's stream threads (%d): %.1f commits/s, %.1f records each, "
                    + "in commits %.0f %% of the time (blocked on Kafka %.0f %%, waits for input included); a commit "
                    + "waited %.1f ms for acknowledgements, %.1f ms for its offsets, %.1f ms for the commit", threads,
                    commitsPerSecond(), recordsPerCommit(), 100 * commitShare(), 100 * blockedShare(),
                    acksMillisPerCommit(), offsetsMillisPerCommit(), commitMillisPerCommit());
        }
    }

    private StreamCommits() {
    }
}
