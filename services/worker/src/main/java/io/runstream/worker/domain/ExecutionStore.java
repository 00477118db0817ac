package io.runstream.worker.domain;

/** Port: where each live execution's state is kept, one entry per execution. */
public interface ExecutionStore {

    /** The execution as stored, or {@link Stored#NONE} if it is not live here. */
    Stored load(String executionId);

    /**
     * A stored execution and the trace it runs in.
     *
     * @param execution the execution, or null
     * @param traceparent the W3C traceparent of the request that started (or last redrove) it, or null
     */
    record Stored(Execution execution, String traceparent) {

        public static final Stored NONE = new Stored(null, null);
    }
}
