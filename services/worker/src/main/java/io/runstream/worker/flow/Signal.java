package io.runstream.worker.flow;

import com.fasterxml.jackson.databind.JsonNode;

/** What a runnable fiber does next: start a task, return a result to its top frame, or throw an error to it. */
public sealed interface Signal {

    record Enter(String at, JsonNode input) implements Signal {
    }

    record Return(JsonNode output, Flow flow) implements Signal {
    }

    record Throw(WorkflowError error) implements Signal {
    }
}
