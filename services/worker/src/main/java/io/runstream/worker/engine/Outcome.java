package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** A task's or a task list's output, and the flow directive that says where the run goes next. */
record Outcome(JsonNode output, String directive) {

    static final String CONTINUE = "continue";
    static final String EXIT = "exit";
    static final String END = "end";

    static Outcome next(JsonNode output) {
        return new Outcome(output, CONTINUE);
    }

    boolean ends() {
        return END.equals(directive);
    }
}
