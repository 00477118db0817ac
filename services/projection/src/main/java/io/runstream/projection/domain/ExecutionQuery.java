package io.runstream.projection.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A search of one tenant's executions: every filter is optional (null or empty means any; {@code parentExecutionId}
 * lists the subflows one execution started); results are ordered by start or finish time (ties broken by id) and
 * start after {@code after}, the last item of the previous page.
 */
public record ExecutionQuery(String tenant, String workflowId, Set<ExecutionStatus> statuses, Phase phase,
        Instant startedFrom,
        Instant startedTo, Instant finishedFrom, Instant finishedTo, String sourceSystem, String externalRef,
        String sourceEntityId, java.util.UUID parentExecutionId, Order order, boolean ascending, int limit,
        Position after) {

    /**
     * Which phases match: any; none (advancing, or not running); waiting (on timers and listens alone); suspended
     * (paused); or active (not suspended).
     */
    public enum Phase {
        ANY, NONE, WAITING, SUSPENDED, ACTIVE
    }

    /** What the results are ordered by; ordering by finish time lists finished executions only. */
    public enum Order {
        STARTED_AT, FINISHED_AT
    }

    /** Where a page ended: the order value and id of its last item. */
    public record Position(Instant at, java.util.UUID executionId) {
    }
}
