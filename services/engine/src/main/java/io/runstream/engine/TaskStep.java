package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One task's run: the order it ended in within the execution (1, 2, ...), its name, its position (JSON pointer in
 * the definition), its type, how it ended, how many attempts it took (more than one only for a {@code try} that
 * retried), when it started and ended, its error, if any, its input, once completed, its output, the events it
 * consumed or emitted (empty for most tasks), and the subflow it started (the child execution's id; null for most
 * tasks).
 */
public record TaskStep(long sequence, String name, String position, String type, Status status, int attempts,
        Instant startedAt, Instant endedAt, WorkflowError error, JsonNode input, JsonNode output,
        List<EventRef> events, String childExecutionId) {

    public TaskStep {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** A step that started no subflow. */
    public TaskStep(long sequence, String name, String position, String type, Status status, int attempts,
            Instant startedAt, Instant endedAt, WorkflowError error, JsonNode input, JsonNode output,
            List<EventRef> events) {
        this(sequence, name, position, type, status, attempts, startedAt, endedAt, error, input, output, events,
                null);
    }

    /** A step that names no event. */
    public TaskStep(long sequence, String name, String position, String type, Status status, int attempts,
            Instant startedAt, Instant endedAt, WorkflowError error, JsonNode input, JsonNode output) {
        this(sequence, name, position, type, status, attempts, startedAt, endedAt, error, input, output, List.of());
    }

    /** How a task ended. */
    public enum Status {
        COMPLETED, SKIPPED, FAULTED, CANCELLED
    }
}
