package io.runstream.projection.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One status event, as the projection applies it; {@code redriveCount} is the redrive it belongs to (0 before any),
 * {@code ordinal} where it stands among everything its execution published (0 from workers that did not number it),
 * {@code waitingFor} the listens it waits on while its phase is WAITING (none otherwise), {@code parentExecutionId}
 * the execution that started it as a subflow (null for one no execution started).
 */
public record StatusChange(UUID executionId, String tenant, String workflowId, ExecutionStatus status, long sequence,
        int attempt, Instant occurredAt, Instant requestedAt, String inputJson, String outputJson,
        ExecutionError error, Map<String, String> metadata, String phase, int redriveCount, long ordinal,
        List<ListenWait> waitingFor, UUID parentExecutionId) {

    public StatusChange {
        // what it waits on is shown only while it waits
        waitingFor = waitingFor == null || !WAITING.equals(phase) ? List.of() : List.copyOf(waitingFor);
    }

    private static final String WAITING = "WAITING";

    /**
     * The same change with only what describes where the execution is: no input, output, metadata or listens waited
     * on (their correlation values are user data), and the error reduced to its code, for when the database refuses
     * what the change carries.
     */
    public StatusChange withoutData() {
        ExecutionError bare = error == null ? null : new ExecutionError(error.code(), DATA_DROPPED);
        return new StatusChange(executionId, tenant, workflowId, status, sequence, attempt, occurredAt, requestedAt,
                null, null, bare, Map.of(), phase, redriveCount, ordinal, List.of(), parentExecutionId);
    }

    /** What stands in for an error message the database refused. */
    public static final String DATA_DROPPED = "(not stored: the database refused this text; the event is on the "
            + "dead-letter topic)";

    /** When the execution finished, if this change finished it. */
    public Instant finishedAt() {
        return status.isTerminal() ? occurredAt : null;
    }
}
