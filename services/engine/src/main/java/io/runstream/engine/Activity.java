package io.runstream.engine;

/**
 * A side effect an execution waits on: its sequence number (unique within the execution), the fiber and task that
 * wait, the fully resolved request, how often it was dispatched, and the timer of its current lease.
 */
public record Activity(long seq, int fiber, String at, HttpRequest request, int dispatches, long leaseTimer) {

    /** Stable across re-dispatches of this activity, and new for every other one (each retry is a new activity). */
    public String idempotencyKey(String executionId) {
        return executionId + "/" + seq;
    }
}
