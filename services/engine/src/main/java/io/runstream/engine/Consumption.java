package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code listen}'s event consumption strategy, parsed: one event, any of several (until a condition or other
 * events), or all of several. Its filters are numbered in one sequence, those of {@code to} first and then those of
 * an {@code until} strategy, so a subscription can say which filters an event met.
 */
sealed interface Consumption {

    /** Every filter of the strategy and of its {@code until}, in their numbering. */
    List<EventFilter> filters();

    /** {@code one}: the first event that meets the filter. */
    record One(EventFilter filter) implements Consumption {
        @Override
        public List<EventFilter> filters() {
            return List.of(filter);
        }
    }

    /**
     * {@code any}: every event that meets one of the filters (an empty list: every event of the tenant), until
     * {@code until} holds; with no {@code until}, the first such event.
     */
    record Any(List<EventFilter> any, Until until) implements Consumption {
        @Override
        public List<EventFilter> filters() {
            if (!(until instanceof Until.Events events)) {
                return any;
            }
            List<EventFilter> all = new ArrayList<>(any);
            all.addAll(events.strategy().filters());
            return all;
        }
    }

    /** {@code all}: one event for each filter, in any order. */
    record All(List<EventFilter> all) implements Consumption {
        @Override
        public List<EventFilter> filters() {
            return all;
        }
    }

    /** When an {@code any} stops listening. */
    sealed interface Until {

        /** A runtime expression on the events consumed so far, evaluated after each. */
        record Condition(String expression) implements Until {
        }

        /** Events, consumed by their own strategy, that end the listen and are not in its output. */
        record Events(Consumption strategy) implements Until {
        }
    }

    /** What of each event the output holds. */
    enum Read {
        /** The event's data. */
        DATA,
        /** The whole event: its context attributes and its data. */
        ENVELOPE,
        /** The data as it arrived: text as text, and bytes as their base64 form. */
        RAW
    }

    /**
     * An {@code eventFilter}: the attributes an event must carry ({@code with}: values, regular expressions or
     * runtime expressions) and the correlations it must meet ({@code correlate}).
     *
     * @param number the filter's place in the listen's numbering
     */
    record EventFilter(int number, Map<String, JsonNode> with, Map<String, Correlation> correlate) {
    }

    /** A {@code correlate} entry: {@code from} evaluated on the event, compared with {@code expect} (null: unset). */
    record Correlation(String from, JsonNode expect) {
    }

    /** Parses a {@code listen.to}, its filters numbered from 0. */
    static Consumption parse(JsonNode to) {
        return parse(to, new int[] {0});
    }

    private static Consumption parse(JsonNode to, int[] next) {
        if (to.has("one")) {
            return new One(filter(to.get("one"), next));
        }
        if (to.has("all")) {
            return new All(filters(to.get("all"), next));
        }
        List<EventFilter> any = filters(to.path("any"), next);
        JsonNode until = to.get("until");
        Until parsed = until == null || until.isNull() ? null
                : until.isTextual() ? new Until.Condition(until.asText()) : new Until.Events(parse(until, next));
        return new Any(any, parsed);
    }

    private static List<EventFilter> filters(JsonNode list, int[] next) {
        List<EventFilter> filters = new ArrayList<>();
        list.forEach(f -> filters.add(filter(f, next)));
        return List.copyOf(filters);
    }

    private static EventFilter filter(JsonNode node, int[] next) {
        Map<String, JsonNode> with = new LinkedHashMap<>();
        node.path("with").properties().forEach(e -> with.put(e.getKey(), e.getValue()));
        Map<String, Correlation> correlate = new LinkedHashMap<>();
        node.path("correlate").properties().forEach(e -> correlate.put(e.getKey(),
                new Correlation(e.getValue().path("from").asText(), e.getValue().get("expect"))));
        return new EventFilter(next[0]++, Map.copyOf(with), correlate);
    }

    /** A {@code listen.read}; one the definition check refused reads data. */
    static Read read(JsonNode node) {
        String name = node == null ? "data" : node.asText();
        return java.util.Arrays.stream(Read.values()).filter(r -> r.name().equalsIgnoreCase(name)).findFirst()
                .orElse(Read.DATA);
    }
}
