package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** How an execution's run ended. */
public sealed interface Outcome {

    /** It completed with this output. */
    record Succeeded(JsonNode output) implements Outcome {
    }

    /** An uncaught error ({@code error}), or a limit it ran into (no error), ended it; {@code code} says which. */
    record Failed(String code, String message, WorkflowError error) implements Outcome {

        static Failed limit(String code, String message) {
            return new Failed(code, message, null);
        }
    }

    /** Its workflow timeout, or an uncaught task timeout, ended it. */
    record TimedOut(WorkflowError error) implements Outcome {

        public String message() {
            return error.describe();
        }
    }
}
