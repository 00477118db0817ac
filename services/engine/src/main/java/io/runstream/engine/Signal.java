package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a runnable fiber does next: start a task, return a result to its top frame, throw an error to it, or run the
 * task on its top again (a redrive).
 */
public sealed interface Signal {

    record Enter(String at, JsonNode input) implements Signal {
    }

    record Return(JsonNode output, Flow flow) implements Signal {
    }

    record Throw(WorkflowError error) implements Signal {
    }

    /** Runs the task on top of the stack again from its body, keeping its input: the failed task of a redrive. */
    record Rerun() implements Signal {
    }
}
