package io.runstream.ingress.events;

import java.util.concurrent.CompletionStage;

/** Port: where accepted signals go, keyed by their execution, for the worker that owns it. */
public interface SignalLog {

    /** Completes once the log has acknowledged the signal, or fails with {@link SignalNotPublishedException}. */
    CompletionStage<Void> append(Signal signal);

    /** The size in bytes of the record the signal makes, as the log counts it against its limit. */
    long recordSize(Signal signal);

    /**
     * A number of bytes never below {@link #recordSize}, counted from the signal's texts without encoding the record:
     * the exact size is counted only for a signal whose bound passes the limit.
     */
    long recordSizeBound(Signal signal);
}
