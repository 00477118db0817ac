package io.runstream.worker.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a {@code schedule.on} with {@code all} has gathered, grouped by the correlation values they give: a
 * group whose every filter has an event starts a run and is gone. The first event a filter gets in a group is kept;
 * a group waits at most the buffer time for the rest, and at most {@value #MAX_GROUPS} groups wait at once (the
 * oldest goes first). Kept as JSON in the schedule's state.
 */
public final class EventGroups {

    static final int MAX_GROUPS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode groups;

    private EventGroups(ArrayNode groups) {
        this.groups = groups;
    }

    /** The groups kept in a schedule's state ({@code null}: none). */
    public static EventGroups parse(String json) {
        if (json == null) {
            return new EventGroups(JSON.createArrayNode());
        }
        try {
            return new EventGroups((ArrayNode) JSON.readTree(json));
        } catch (JsonProcessingException | ClassCastException e) {
            return new EventGroups(JSON.createArrayNode());
        }
    }

    /**
     * Adds an event for filter {@code filter} to the group of its values, after dropping groups older than
     * {@code wait}; returns the group's events in filter order when it now has one for each of {@code filters}
     * filters (and forgets it), or an empty list.
     */
    public List<JsonNode> add(String values, int filter, int filters, JsonNode event, Instant now, Duration wait) {
        long oldest = now.minus(wait).toEpochMilli();
        for (int i = groups.size() - 1; i >= 0; i--) {
            if (groups.get(i).path("since").asLong() < oldest) {
                groups.remove(i);
            }
        }
        ObjectNode group = null;
        for (JsonNode candidate : groups) {
            if (candidate.path("values").asText().equals(values)) {
                group = (ObjectNode) candidate;
            }
        }
        if (group == null) {
            if (groups.size() >= MAX_GROUPS) {
                groups.remove(0);
            }
            group = groups.addObject().put("values", values).put("since", now.toEpochMilli());
            group.putObject("events");
        }
        ObjectNode events = (ObjectNode) group.get("events");
        if (!events.has(Integer.toString(filter))) {
            events.set(Integer.toString(filter), event);
        }
        if (events.size() < filters) {
            return List.of();
        }
        List<JsonNode> complete = new ArrayList<>();
        for (int i = 0; i < filters; i++) {
            complete.add(events.get(Integer.toString(i)));
        }
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i) == group) {
                groups.remove(i);
                break;
            }
        }
        return complete;
    }

    /** The groups as the schedule's state keeps them, or null when none waits. */
    public String json() {
        return groups.isEmpty() ? null : groups.toString();
    }
}
