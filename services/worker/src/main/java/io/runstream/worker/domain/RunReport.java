package io.runstream.worker.domain;

import java.time.Instant;

/**
 * What the runner says about one attempt: it started (sent again periodically while it runs, as a heartbeat), or it
 * ended with an output, an error, or a timeout.
 */
public record RunReport(String executionId, int attempt, Outcome outcome, String outputJson, ExecutionError error,
        Instant reportedAt) {

    /** The kinds of report. */
    public enum Outcome {
        STARTED, SUCCEEDED, FAILED, TIMED_OUT
    }

    public static RunReport started(RunOrder order, Instant at) {
        return new RunReport(order.executionId(), order.attempt(), Outcome.STARTED, null, null, at);
    }

    public static RunReport succeeded(RunOrder order, String outputJson, Instant at) {
        return new RunReport(order.executionId(), order.attempt(), Outcome.SUCCEEDED, outputJson, null, at);
    }

    public static RunReport failed(RunOrder order, ExecutionError error, Instant at) {
        return new RunReport(order.executionId(), order.attempt(), Outcome.FAILED, null, error, at);
    }

    public static RunReport timedOut(RunOrder order, ExecutionError error, Instant at) {
        return new RunReport(order.executionId(), order.attempt(), Outcome.TIMED_OUT, null, error, at);
    }
}
