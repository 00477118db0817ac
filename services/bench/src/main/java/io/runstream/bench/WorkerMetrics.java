package io.runstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a worker's Prometheus counters from its management URL for the measured runs: its stream threads' commits
 * ({@link StreamCommits}) and its JVM's compiling and pauses ({@link JvmWork}), from one scrape.
 */
final class WorkerMetrics {

    /** The worker's counters at one moment. */
    record Reading(StreamCommits.Counters commits, JvmWork.Counters jvm) {

        static Reading parse(String exposition) {
            return new Reading(StreamCommits.Counters.parse(exposition), JvmWork.Counters.parse(exposition));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private boolean unreadable;

    /** @param workerManagementUrl the worker's management base URL (in the dev stack http://127.0.0.1:8083) */
    WorkerMetrics(String workerManagementUrl) {
        this.metrics = URI.create(workerManagementUrl + "/actuator/prometheus");
    }

    /**
     * The worker's counters now, or null once they could not be read (said the first time; not tried again, so a run
     * against an API URL whose worker is elsewhere goes on without them).
     */
    Reading readOrNull() throws InterruptedException {
        if (unreadable) {
            return null;
        }
        try {
            return read();
        } catch (IOException | RuntimeException e) {
            unreadable = true;
            System.out.println("(the worker not measured: " + metrics + ": " + e + ")");
            return null;
        }
    }

    /** The worker's counters now. */
    Reading read() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metrics + " answered " + response.statusCode());
        }
        return Reading.parse(response.body());
    }
}
