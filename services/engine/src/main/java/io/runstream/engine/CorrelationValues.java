package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * The values an event gives for a listen's correlations, as the correlation index computes them to route it: each
 * {@code from} expression evaluated on the event alone (its attributes, with {@code data}), under the same budget as
 * any expression. The execution checks them again when the event reaches it.
 */
public final class CorrelationValues {

    private final Expressions expressions = new Expressions();

    /** What {@code from} gives on the event, or null if it fails on it (such an event cannot meet the filter). */
    public JsonNode extract(String from, JsonNode event) {
        try {
            return expressions.evaluate(from, event, new Expressions.Variables(JsonNodeFactory.instance.nullNode(),
                    JsonNodeFactory.instance.objectNode(), null, Map.of(), null), "/correlate");
        } catch (WorkflowError e) {
            return null;
        }
    }
}
