package io.runstream.engine;

import java.time.Instant;

/** A durable timer of an execution: its number, when it is due, what it is for, and the fiber it wakes. */
public record Timer(long seq, Instant due, Kind kind, int fiber) {

    /** What a timer is for. */
    public enum Kind {
        /** A {@code wait} task. */
        WAIT,
        /** The delay before a {@code try} runs again. */
        RETRY,
        /** A task's {@code timeout}. */
        TASK_TIMEOUT,
        /** The workflow's {@code timeout}. */
        WORKFLOW_TIMEOUT,
        /** An activity's lease: no result by then means its runner is gone, so it is dispatched again. */
        ACTIVITY_LEASE;

        /**
         * True for a timer that says something did not come in time (a lease: the activity's result; a timeout:
         * whatever its task or workflow waited on), false for a delay ({@code wait}, a retry's), which nothing
         * but time ends.
         */
        public boolean awaitsInput() {
            return this == TASK_TIMEOUT || this == WORKFLOW_TIMEOUT || this == ACTIVITY_LEASE;
        }
    }
}
