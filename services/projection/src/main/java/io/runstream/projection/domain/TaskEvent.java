package io.runstream.projection.domain;

/**
 * A CloudEvent a task step consumed ({@code listen}) or emitted ({@code emit}), by its type, source and id, so history
 * says which events a task took part in; {@code direction} is CONSUMED, EMITTED or UNKNOWN (a newer worker's).
 */
public record TaskEvent(String direction, String type, String source, String id) {
}
