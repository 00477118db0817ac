package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The state of one run: its definition, the exported context, and who hears about its tasks. */
final class Run {

    private final JsonNode definition;
    private final JsonNode workflow;
    private final Expressions expressions;
    private final TaskListener listener;
    private final Clock clock;
    private final AtomicReference<JsonNode> context = new AtomicReference<>(JsonNodeFactory.instance.objectNode());
    private final java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();

    Run(JsonNode definition, JsonNode rawInput, Expressions expressions, TaskListener listener, Clock clock) {
        this.definition = definition;
        ObjectNode descriptor = JsonNodeFactory.instance.objectNode();
        descriptor.set("definition", definition);
        descriptor.set("input", rawInput);
        descriptor.put("startedAt", clock.instant().toString());
        this.workflow = descriptor;
        this.expressions = expressions;
        this.listener = listener;
        this.clock = clock;
    }

    Expressions.Variables variables(JsonNode input, Map<String, JsonNode> named) {
        return new Expressions.Variables(input, context.get(), workflow, named);
    }

    /** A reusable component from the definition's {@code use} section, such as a named retry policy or timeout. */
    JsonNode component(String kind, String name, String at) {
        JsonNode found = definition.path("use").path(kind).get(name);
        if (found == null) {
            throw WorkflowError.configuration(at, "Unknown reference",
                    "'" + name + "' is not defined under use." + kind);
        }
        return found;
    }

    /** Numbers task steps in the order they end. */
    long nextStep() {
        return steps.incrementAndGet();
    }

    void export(JsonNode value) {
        context.set(value);
    }

    Expressions expressions() {
        return expressions;
    }

    TaskListener listener() {
        return listener;
    }

    Clock clock() {
        return clock;
    }
}
