package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open {@code listen} of an execution: what the correlation index routes to it ({@link Interest}s, one per
 * filter), and how far it got. The execution is the authority on it: an event for a subscription it no longer holds
 * changes nothing.
 *
 * @param seq its number, from the same sequence as timers and activities
 * @param fiber the fiber whose {@code listen} waits on it
 * @param at the {@code listen} task's position
 * @param openedAt when the listen opened, which decides which buffered events it sees
 * @param interests what the index routes to it, one per filter of the listen, in the filters' numbering, and one
 *     for every event of the tenant when it listens to an empty {@code any}
 * @param expected each correlation's value: from its {@code expect}, or set by the first event that met it
 * @param met the numbers of the filters an event met so far (for {@code all}, and an {@code until} of events)
 * @param consumed the events consumed so far that count towards the output, as they arrived (CloudEvents as JSON)
 * @param events every event consumed, those of an {@code until} too, as they arrived: so a duplicate is recognised,
 *     and the task's step in history names them
 */
public record Subscription(long seq, int fiber, String at, Instant openedAt, List<Interest> interests,
        Map<String, JsonNode> expected, List<Integer> met, ArrayNode consumed, List<EventRef> events) {

    /**
     * What the correlation index routes on for one filter: its exact {@code type} (null when the filter has none,
     * or a pattern or an expression: such a filter is matched by a scan of the tenant's subscriptions) and, for each
     * correlation whose value was known when the listen opened, its {@code from} expression and that value.
     */
    public record Interest(String type, Map<String, JsonNode> correlations) {
    }

    static Subscription open(long seq, int fiber, String at, Instant now, List<Interest> interests,
            Map<String, JsonNode> expected) {
        return new Subscription(seq, fiber, at, now, List.copyOf(interests), Map.copyOf(expected), List.of(),
                JsonNodeFactory.instance.arrayNode(), List.of());
    }

    /** The CloudEvents extension that says how many events emitted one after another led to an event. */
    public static final String HOPS = "runstreamhops";

    /**
     * How many events emitted one after another led to this one ({@value #HOPS}: a number, or its text as Kafka
     * headers carry it); 0 when it does not say, or says something else.
     */
    public static int hopsOf(JsonNode event) {
        JsonNode hops = event.get(HOPS);
        if (hops == null) {
            return 0;
        }
        if (hops.canConvertToInt()) {
            return Math.max(0, hops.asInt());
        }
        try {
            return Math.max(0, Integer.parseInt(hops.asText().trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The key a duplicate of this event would have: its {@code source} and {@code id}. */
    public static String keyOf(JsonNode event) {
        return event.path("source").asText() + " " + event.path("id").asText();
    }

    /** The keys ({@link #keyOf}) of every event consumed, as they arrived. */
    public List<String> keys() {
        return events.stream().map(EventRef::key).toList();
    }

    /** This subscription after it consumed {@code event}, which met filter {@code filter} (-1: an empty {@code any}). */
    Subscription consumed(JsonNode event, int filter, Map<String, JsonNode> bound, boolean counts) {
        List<Integer> nowMet = new ArrayList<>(met);
        if (!nowMet.contains(filter)) {
            nowMet.add(filter);
        }
        Map<String, JsonNode> nowExpected = new LinkedHashMap<>(expected);
        bound.forEach(nowExpected::putIfAbsent);
        ArrayNode counted = consumed.deepCopy();
        if (counts) {
            counted.add(event);
        }
        List<EventRef> nowEvents = new ArrayList<>(this.events);
        nowEvents.add(EventRef.of(EventRef.Direction.CONSUMED, event));
        return new Subscription(seq, fiber, at, openedAt, interests, Map.copyOf(nowExpected), List.copyOf(nowMet),
                counted, List.copyOf(nowEvents));
    }
}
