package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code schedule.on}: the events that start a run. With {@code one} or {@code any}, each event that meets a
 * filter starts one; with {@code all}, one event for each filter does, gathered in any order (and, when the filters
 * correlate, only events that give the same values). The run's input is the array of those events, read as
 * {@code schedule.read} says ({@code data} by default). Filters are evaluated on the event alone: a runtime
 * expression in {@code with} gets the attribute's value, and {@code correlate.from} the event.
 */
public final class EventTrigger {

    private final Consumption strategy;
    private final Consumption.Read read;
    private final Expressions expressions = new Expressions();

    private EventTrigger(Consumption strategy, Consumption.Read read) {
        this.strategy = strategy;
        this.read = read;
    }

    /** The trigger of a schedule's {@code on}, as the definition check accepted it. */
    public static EventTrigger of(Schedule.On on) {
        return new EventTrigger(Consumption.parse(on.strategy()), Consumption.read(
                JsonNodeFactory.instance.textNode(on.read())));
    }

    /** How many filters it has (for an empty {@code any}: one, which takes every event of the tenant). */
    public int filters() {
        return Math.max(1, strategy.filters().size());
    }

    /** The event type filter {@code number} names exactly, or null when it takes any type or a pattern of them. */
    public String exactType(int number) {
        return strategy.filters().isEmpty() ? null : EventMatch.exactType(strategy.filters().get(number));
    }

    /** Whether a run needs one event for each filter ({@code all}), rather than any one event. */
    public boolean needsAll() {
        return strategy instanceof Consumption.All;
    }

    /**
     * What the event gives if it meets filter {@code number}: its correlation values (name to value, empty when the
     * filter correlates nothing), or null when it does not meet it or one of the filter's expressions fails on it.
     */
    public Map<String, JsonNode> meets(int number, JsonNode event) {
        if (strategy.filters().isEmpty()) {
            return Map.of();
        }
        try {
            return EventMatch.meets(new OnEvent(), strategy.filters().get(number), event, Map.of(),
                    "/schedule/on");
        } catch (WorkflowError e) {
            return null;
        }
    }

    /** The run's input: the events, in the order of their filters, read as the schedule says. */
    public JsonNode input(List<JsonNode> events) {
        ArrayNode input = JsonNodeFactory.instance.arrayNode();
        events.forEach(event -> input.add(EventMatch.read(event, read)));
        return input;
    }

    /** Its filter numbers, 0 to {@link #filters()} - 1. */
    public List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < filters(); i++) {
            numbers.add(i);
        }
        return numbers;
    }

    /** Expressions on the event alone: no workflow, no context, no input but the value tested. */
    private final class OnEvent implements EventMatch.Evaluator {

        @Override
        public JsonNode evaluate(String expression, JsonNode input, String at) {
            return expressions.evaluate(expression, input, new Expressions.Variables(
                    JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.objectNode(), null, Map.of(), null),
                    at);
        }

        @Override
        public boolean test(String condition, JsonNode input, String at) {
            JsonNode result = evaluate(condition, input, at);
            return result != null && !result.isNull() && !(result.isBoolean() && !result.asBoolean());
        }
    }
}
