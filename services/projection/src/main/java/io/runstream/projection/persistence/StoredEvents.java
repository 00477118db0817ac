package io.runstream.projection.persistence;

import io.runstream.projection.domain.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The events a task step took part in as the {@code events} column keeps them: JSON text (which escapes a NUL in an
 * event's id, so PostgreSQL's text takes it) in a shape of its own, so the service's JSON mapper never changes it.
 */
final class StoredEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoredEvents() {
    }

    /** The JSON text to store; null for none. */
    static String write(List<TaskEvent> events) {
        if (events.isEmpty()) {
            return null;
        }
        ArrayNode array = JSON.createArrayNode();
        events.forEach(e -> array.addObject().put("direction", e.direction()).put("type", e.type())
                .put("source", e.source()).put("id", e.id()));
        return JSON.writeValueAsString(array);
    }

    /** What was stored; none for null. */
    static List<TaskEvent> read(String text) {
        if (text == null) {
            return List.of();
        }
        List<TaskEvent> events = new ArrayList<>();
        for (JsonNode node : JSON.readTree(text)) {
            events.add(new TaskEvent(node.path("direction").asString(), node.path("type").asString(),
                    node.path("source").asString(), node.path("id").asString()));
        }
        return List.copyOf(events);
    }
}
