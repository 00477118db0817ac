package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a subflow ended, as its parent learns it: its output, or the error it failed with (a spec error; the worker
 * makes one for an end that had none, such as a stop or a limit).
 */
public record ChildOutcome(JsonNode output, WorkflowError error) {

    public static ChildOutcome succeeded(JsonNode output) {
        return new ChildOutcome(output, null);
    }

    public static ChildOutcome failed(WorkflowError error) {
        return new ChildOutcome(null, error);
    }

    public boolean isSuccess() {
        return error == null;
    }
}
