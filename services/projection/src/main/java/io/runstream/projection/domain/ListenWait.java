package io.runstream.projection.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One open {@code listen} a WAITING execution waits on, as its latest status event said, so its view can tell what
 * would wake it.
 *
 * @param position the listen task's JSON pointer
 * @param types the exact event types it listens for (none when its filters match by pattern or expression)
 * @param correlations the value each correlation expects, as JSON text, by correlation name
 * @param since when the listen opened
 */
public record ListenWait(String position, List<String> types, Map<String, String> correlations, Instant since) {

    public ListenWait {
        types = types == null ? List.of() : List.copyOf(types);
        correlations = correlations == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(correlations));
    }
}
