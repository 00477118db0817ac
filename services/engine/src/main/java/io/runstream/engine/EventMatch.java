package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.regex.Pattern;

/**
 * Whether an event meets an {@link Consumption.EventFilter}. Each {@code with} attribute must be present and match:
 * a runtime expression is evaluated with the attribute's value as its input and must give anything but null or false;
 * a string with a regular expression's special characters ({@code ^$*+?()[]{}|\}) must match the whole value; any
 * other string, number or boolean must equal it (a dot is only a dot, since event types are dotted names); an object
 * must be contained in the value. {@code data} is the event's data. Each {@code correlate} entry's {@code from} is
 * evaluated on the event (its attributes, with {@code data}), and must equal the expected value; a correlation not
 * yet expected takes the first value it extracts. Expressions found inside an event are data, never evaluated.
 */
final class EventMatch {

    private static final Pattern REGEX_CHARACTERS = Pattern.compile("[\\^$*+?()\\[\\]{}|\\\\]");

    private EventMatch() {
    }

    /**
     * The correlation values the event gives if it meets the filter, or null if it does not. May throw a
     * {@link WorkflowError} when one of the filter's expressions fails on the event.
     */
    static Map<String, JsonNode> meets(Step step, Fiber fiber, Consumption.EventFilter filter, JsonNode event,
            Map<String, JsonNode> expected, String at) {
        return meets(new Evaluator() {
            @Override
            public JsonNode evaluate(String expression, JsonNode input, String where) {
                return step.evaluate(fiber, expression, input, where, Map.of());
            }

            @Override
            public boolean test(String condition, JsonNode input, String where) {
                return step.test(fiber, condition, input, where, Map.of());
            }
        }, filter, event, expected, at);
    }

    /** How a filter's expressions are evaluated: in an execution's scope, or on the event alone. */
    interface Evaluator {

        JsonNode evaluate(String expression, JsonNode input, String at);

        /** Whether a condition gives anything but null or false. */
        boolean test(String condition, JsonNode input, String at);
    }

    /** As {@link #meets(Step, Fiber, Consumption.EventFilter, JsonNode, Map, String)}, with any evaluator. */
    static Map<String, JsonNode> meets(Evaluator evaluator, Consumption.EventFilter filter, JsonNode event,
            Map<String, JsonNode> expected, String at) {
        for (Entry<String, JsonNode> attribute : filter.with().entrySet()) {
            JsonNode actual = attribute.getKey().equals("data") ? data(event) : event.get(attribute.getKey());
            if (!matches(evaluator, attribute.getValue(), actual, at + "/with/" + attribute.getKey())) {
                return null;
            }
        }
        Map<String, JsonNode> bound = new LinkedHashMap<>();
        for (Entry<String, Consumption.Correlation> correlation : filter.correlate().entrySet()) {
            String name = correlation.getKey();
            JsonNode value = evaluator.evaluate(correlation.getValue().from(), event,
                    at + "/correlate/" + name + "/from");
            JsonNode want = expected.getOrDefault(name, bound.get(name));
            if (want != null && !same(want, value)) {
                return null;
            }
            bound.put(name, value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
        return bound;
    }

    /** The one event type a filter takes, when it names one exactly; null when any or a pattern of types. */
    static String exactType(Consumption.EventFilter filter) {
        JsonNode type = filter.with().get("type");
        return type != null && type.isTextual() && !Expressions.isExpression(type) && !isPattern(type.asText())
                ? type.asText() : null;
    }

    /** Whether a literal {@code with} value is a regular expression rather than a value to equal. */
    static boolean isPattern(String value) {
        return REGEX_CHARACTERS.matcher(value).find();
    }

    /** The event's data: JSON as JSON, and bytes ({@code data_base64}) as their base64 text. */
    static JsonNode data(JsonNode event) {
        if (event.has("data")) {
            return event.get("data");
        }
        return event.has("data_base64") ? event.get("data_base64") : JsonNodeFactory.instance.nullNode();
    }

    /**
     * The event as a {@code listen.read} asks for it: its data (JSON as JSON, bytes as base64 text), the whole event,
     * or its data as the text it arrived as (JSON as its JSON text, bytes as base64 text).
     */
    static JsonNode read(JsonNode event, Consumption.Read read) {
        return switch (read) {
            case DATA -> data(event);
            case ENVELOPE -> event;
            case RAW -> event.has("data") && !event.get("data").isTextual()
                    ? TextNode.valueOf(event.get("data").toString()) : data(event);
        };
    }

    private static boolean matches(Evaluator evaluator, JsonNode wanted, JsonNode actual, String at) {
        if (Expressions.isExpression(wanted)) {
            return evaluator.test(wanted.asText(), actual == null ? JsonNodeFactory.instance.nullNode() : actual,
                    at);
        }
        if (actual == null || actual.isNull()) {
            return wanted.isNull();
        }
        if (wanted.isTextual()) {
            String text = actual.isTextual() ? actual.asText() : actual.toString();
            return wanted.asText().equals(text)
                    || isPattern(wanted.asText()) && Pattern.compile(wanted.asText()).matcher(text).matches();
        }
        if (wanted.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Entry<String, JsonNode> field : wanted.properties()) {
                if (!matches(evaluator, field.getValue(), actual.get(field.getKey()), at + "/" + field.getKey())) {
                    return false;
                }
            }
            return true;
        }
        return same(wanted, actual);
    }

    /** Equal as JSON, or as text when one side is a string (attributes from Kafka headers arrive as strings). */
    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return (a.isTextual() || b.isTextual()) && a.isValueNode() && b.isValueNode() && a.asText().equals(b.asText());
    }
}
