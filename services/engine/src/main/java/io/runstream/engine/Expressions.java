package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Runtime expressions: jq through jackson-jq, with {@code $input}, {@code $context}, {@code $workflow} and the
 * variables of enclosing {@code for} and {@code catch} blocks (such as {@code $item} or {@code $error}) in scope.
 * A string is an expression when it is wrapped in {@code ${ }}; compiled queries are cached.
 */
final class Expressions {

    private static final Scope ROOT = rootScope();
    /** Compiled queries are kept up to this many; past it the cache starts again rather than grow forever. */
    private static final int MAX_CACHED = 10_000;
    private final Map<String, JsonQuery> compiled = new ConcurrentHashMap<>();

    private static Scope rootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        JqBudget.bound(scope);
        return scope;
    }

    static boolean isExpression(JsonNode node) {
        return node != null && node.isTextual() && node.asText().strip().startsWith("${")
                && node.asText().strip().endsWith("}");
    }

    /** Evaluates one expression (with or without its {@code ${ }}) to a single value (null when it yields none). */
    JsonNode evaluate(String expression, JsonNode input, Variables variables, String at) {
        String jq = strip(expression);
        try {
            JsonQuery query = variables.program() == null ? null : variables.program().query(jq);
            if (query == null) {
                // not compiled with a definition: a jq text of the engine's own
                if (compiled.size() >= MAX_CACHED) {
                    compiled.clear();
                }
                query = compiled.computeIfAbsent(jq, Expressions::compile);
            }
            Scope scope = Scope.newChildScope(ROOT);
            scope.setValue("input", variables.input());
            scope.setValue("context", variables.context());
            if (variables.workflow() != null) {
                scope.setValue("workflow", variables.workflow());
            }
            variables.named().forEach(scope::setValue);
            List<JsonNode> out = new ArrayList<>(1);
            try (AutoCloseable budget = JqBudget.open(jq)) {
                query.apply(scope, input, out::add);
            }
            return out.isEmpty() ? JsonNodeFactory.instance.nullNode() : out.get(0);
        } catch (StackOverflowError e) {
            throw WorkflowError.expression(at, "'" + jq + "': it recursed too deeply (a loop that never ends?)");
        } catch (OutOfMemoryError e) {
            // a single allocation too large to make, such as "x" * 1e9: nothing was filled, so the worker goes on
            throw WorkflowError.expression(at, "'" + jq + "': its result is too large");
        } catch (WorkflowError e) {
            throw e;
        } catch (Exception e) {
            throw WorkflowError.expression(at, "'" + jq + "': " + e.getMessage());
        }
    }

    /** Evaluates every expression string inside a value, leaving other values as they are. */
    JsonNode evaluateAll(JsonNode value, JsonNode input, Variables variables, String at) {
        if (isExpression(value)) {
            return evaluate(value.asText(), input, variables, at);
        }
        if (value.isObject()) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                result.set(field.getKey(), evaluateAll(field.getValue(), input, variables, at + "/" + field.getKey()));
            }
            return result;
        }
        if (value.isArray()) {
            var result = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                result.add(evaluateAll(value.get(i), input, variables, at + "/" + i));
            }
            return result;
        }
        return value;
    }

    static String strip(String expression) {
        String e = expression.strip();
        return e.startsWith("${") && e.endsWith("}") ? e.substring(2, e.length() - 1).strip() : e;
    }

    private static JsonQuery compile(String jq) {
        try {
            return JsonQuery.compile(jq, Versions.JQ_1_6);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** What {@code $input}, {@code $context}, {@code $workflow} and the named variables in scope refer to. */
    record Variables(JsonNode input, JsonNode context, JsonNode workflow, Map<String, JsonNode> named,
            Definition program) {
    }
}
