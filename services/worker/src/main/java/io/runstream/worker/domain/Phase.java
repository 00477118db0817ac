package io.runstream.worker.domain;

/** Where a RUNNING execution is, as its status events say (none: it is advancing or has an activity in flight). */
public enum Phase {
    /** Only timers and listens are pending: a wait, a retry delay, a listen for events. */
    WAITING,
    /** Paused. */
    SUSPENDED
}
