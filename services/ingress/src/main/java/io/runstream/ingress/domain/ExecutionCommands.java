package io.runstream.ingress.domain;

import java.util.concurrent.CompletionStage;

/** Port: publishes an accepted request to the command log; completes once the log has acknowledged it. */
public interface ExecutionCommands {

    /**
     * Publishes the request; the stage fails with {@link RecordRefusedException} when the log refuses the record for
     * good, with another exception when it may succeed later.
     */
    CompletionStage<Void> publish(AcceptedRequest request);

    /** The size in bytes of the record the request makes, as the log counts it against its limit. */
    long recordSize(AcceptedRequest request);

    /**
     * A number of bytes never below {@link #recordSize}, counted from the request's texts without encoding the
     * record: the exact size is counted only for a request whose bound passes the limit.
     */
    long recordSizeBound(AcceptedRequest request);
}
