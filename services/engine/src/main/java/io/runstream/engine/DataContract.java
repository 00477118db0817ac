package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The spec's data-flow checks, at the points where the data is known: the workflow's raw input before its
 * {@code input.from}, a task's raw input (after its {@code if}) before its {@code input.from}, a task's output after
 * its {@code output.as}, the context it exports after its {@code export.as}, and the workflow's output after its
 * {@code output.as}. Data that breaks its schema raises the spec's validation error (400), which a {@code try}
 * catches like any other; uncaught, it fails the run.
 */
final class DataContract {

    static final String WORKFLOW_INPUT = "/input/schema";
    static final String WORKFLOW_OUTPUT = "/output/schema";

    private DataContract() {
    }

    static void workflowInput(Definition definition, JsonNode rawInput) {
        definition.schemas().check(WORKFLOW_INPUT, rawInput, WORKFLOW_INPUT);
    }

    static void workflowOutput(Definition definition, JsonNode output) {
        definition.schemas().check(WORKFLOW_OUTPUT, output, WORKFLOW_OUTPUT);
    }

    /** The raw input of the task at {@code at}. */
    static void taskInput(Definition definition, String at, JsonNode input) {
        if (definition.schemas().none()) {
            return;
        }
        definition.schemas().check(at + "/input/schema", input, at + "/input/schema");
    }

    /** The output of the task at {@code at}, after its {@code output.as}. */
    static void taskOutput(Definition definition, String at, JsonNode output) {
        if (definition.schemas().none()) {
            return;
        }
        definition.schemas().check(at + "/output/schema", output, at + "/output/schema");
    }

    /** The context the task at {@code at} exported, after its {@code export.as}. */
    static void exported(Definition definition, String at, JsonNode context) {
        if (definition.schemas().none()) {
            return;
        }
        definition.schemas().check(at + "/export/schema", context, at + "/export/schema");
    }
}
