package io.runstream.worker.domain;

/** Where a RUNNING execution is, as its status events say (none: it is advancing or has an activity in flight). */
public enum Phase {
    /** Only timers are pending: a wait, a retry delay. */
    WAITING,
    /** Paused. */
    SUSPENDED
}
