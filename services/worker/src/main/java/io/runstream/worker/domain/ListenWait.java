package io.runstream.worker.domain;

import io.runstream.engine.Progress;
import io.runstream.engine.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One open {@code listen} a waiting execution waits on, as its status events tell subscribers and the view: so a
 * parked execution says what would wake it.
 *
 * @param position the listen task's JSON pointer
 * @param types the exact event types it routes on, one per filter that names one (none for a pattern, an expression
 *     or every event)
 * @param correlations the value each correlation expects, as JSON text, by name (one with no {@code expect} once an
 *     event set it)
 * @param since when the listen opened
 */
public record ListenWait(String position, List<String> types, Map<String, String> correlations, Instant since) {

    public ListenWait {
        types = List.copyOf(types);
        // by name, so the same listen always reads the same
        correlations = java.util.Collections.unmodifiableMap(new TreeMap<>(correlations));
    }

    /** The listens {@code progress} has open, oldest first; none without progress. */
    static List<ListenWait> of(Progress progress) {
        if (progress == null || progress.subscriptions().isEmpty()) {
            return List.of();
        }
        List<ListenWait> waits = new ArrayList<>();
        for (Subscription s : progress.subscriptions().values()) {
            List<String> types = new ArrayList<>();
            for (Subscription.Interest interest : s.interests()) {
                if (interest.type() != null && !types.contains(interest.type())) {
                    types.add(interest.type());
                }
            }
            Map<String, String> correlations = new TreeMap<>();
            s.expected().forEach((name, value) -> correlations.put(name, value.toString()));
            waits.add(new ListenWait(s.at(), types, correlations, s.openedAt()));
        }
        return List.copyOf(waits);
    }
}
