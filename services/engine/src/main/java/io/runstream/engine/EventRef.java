package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a task consumed or emitted, named by its CloudEvent {@code type}, {@code source} and {@code id}, so history
 * can say which events a task took part in without carrying them whole.
 */
public record EventRef(Direction direction, String type, String source, String id) {

    /** Whether the task consumed the event ({@code listen}) or emitted it ({@code emit}). */
    public enum Direction {
        CONSUMED, EMITTED
    }

    /** The reference to a CloudEvent given as JSON. */
    static EventRef of(Direction direction, JsonNode event) {
        return new EventRef(direction, event.path("type").asText(), event.path("source").asText(),
                event.path("id").asText());
    }

    /** The key a duplicate of the event would have, as {@link Subscription#keyOf} makes it. */
    String key() {
        return source + " " + id;
    }
}
