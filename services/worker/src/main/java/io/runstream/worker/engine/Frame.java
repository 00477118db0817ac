package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** Where a task runs: the run it belongs to, the variables in scope, and its JSON pointer in the definition. */
record Frame(Run run, Map<String, JsonNode> variables, String at) {

    Frame child(String segment) {
        return new Frame(run, variables, at + "/" + segment);
    }

    Frame with(String name, JsonNode value) {
        Map<String, JsonNode> more = new HashMap<>(variables);
        more.put(name, value);
        return new Frame(run, Map.copyOf(more), at);
    }

    JsonNode evaluate(String expression, JsonNode input, String where) {
        return run.expressions().evaluate(expression, input, run.variables(input, variables), where);
    }

    JsonNode evaluateAll(JsonNode value, JsonNode input, String where) {
        return run.expressions().evaluateAll(value, input, run.variables(input, variables), where);
    }

    /** Applies an {@code input.from}, {@code output.as} or {@code export.as}: an expression or an object of them. */
    JsonNode transform(JsonNode expression, JsonNode value, String where) {
        return transform(expression, value, value, where);
    }

    JsonNode transform(JsonNode expression, JsonNode value, JsonNode taskInput, String where) {
        if (expression == null) {
            return value;
        }
        Expressions.Variables scope = run.variables(taskInput, variables);
        return expression.isTextual() ? run.expressions().evaluate(expression.asText(), value, scope, where)
                : run.expressions().evaluateAll(expression, value, scope, where);
    }

    boolean test(JsonNode condition, JsonNode input, String where) {
        return truthy(evaluate(condition.asText(), input, where));
    }

    static boolean truthy(JsonNode value) {
        return !(value == null || value.isNull() || value.isBoolean() && !value.asBoolean());
    }
}
