package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One task's run: the order it ended in within the execution (1, 2, ...), its name, its position (JSON pointer in
 * the definition), its type, how it ended, how many attempts it took (more than one only for a {@code try} that
 * retried), when it started and ended, its error, if any, its input and, once completed, its output.
 */
public record TaskStep(long sequence, String name, String position, String type, Status status, int attempts,
        Instant startedAt, Instant endedAt, WorkflowError error, JsonNode input, JsonNode output) {

    /** How a task ended. */
    public enum Status {
        COMPLETED, SKIPPED, FAULTED, CANCELLED
    }
}
