package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Expressions as one turn evaluates them: in a fiber's scope, with {@code $input}, {@code $context},
 * {@code $workflow} and the variables of enclosing loops and catches ({@code $item}, {@code $error}, ...).
 */
final class Evaluation {

    private final Definition definition;
    private final Progress progress;
    private final Expressions expressions;
    private final ObjectNode workflow;

    Evaluation(Definition definition, Progress progress, JsonNode rawInput, Instant now, Expressions expressions) {
        this.definition = definition;
        this.progress = progress;
        this.expressions = expressions;
        this.workflow = JsonNodeFactory.instance.objectNode();
        workflow.set("definition", definition.source());
        workflow.set("input", rawInput);
        workflow.put("startedAt", String.valueOf(progress.startedAt == null ? now : progress.startedAt));
    }

    /** The variables in scope at the top of a fiber: those it inherited, then each enclosing loop's and catch's. */
    Map<String, JsonNode> scope(Fiber fiber) {
        Map<String, JsonNode> named = new HashMap<>(fiber.inherited);
        for (Frame frame : fiber.stack) {
            if (frame instanceof Frame.ForFrame loop && loop.index() < loop.items().size()) {
                Task.ForTask task = (Task.ForTask) definition.task(loop.at());
                named.put(task.each(), loop.items().get(loop.index()));
                named.put(task.index(), JsonNodeFactory.instance.numberNode(loop.index()));
            } else if (frame instanceof Frame.CatchFrame c) {
                named.put(((Task.TryTask) definition.task(c.at())).handler().as(), c.error());
            }
        }
        return named;
    }

    JsonNode evaluate(Fiber fiber, String expression, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluate(expression, input, variables(fiber, input, extra), at);
    }

    JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluateAll(value, input, variables(fiber, input, extra), at);
    }

    boolean test(Fiber fiber, String condition, JsonNode input, String at, Map<String, JsonNode> extra) {
        JsonNode value = evaluate(fiber, condition, input, at, extra);
        return !(value == null || value.isNull() || value.isBoolean() && !value.asBoolean());
    }

    JsonNode transform(Fiber fiber, JsonNode expression, JsonNode value, JsonNode taskInput, String at) {
        if (expression == null) {
            return value;
        }
        Expressions.Variables scope = variables(fiber, taskInput, Map.of());
        return expression.isTextual() ? expressions.evaluate(expression.asText(), value, scope, at)
                : expressions.evaluateAll(expression, value, scope, at);
    }

    Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at, Map<String, JsonNode> extra) {
        return Durations.parse(node, expression -> evaluate(fiber, expression, input, at, extra), at);
    }

    private Expressions.Variables variables(Fiber fiber, JsonNode input, Map<String, JsonNode> extra) {
        Map<String, JsonNode> named = scope(fiber);
        named.putAll(extra);
        return new Expressions.Variables(input, progress.context, workflow, named);
    }
}
