package io.runstream.projection.persistence;

import io.runstream.projection.domain.ListenWait;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The listens an execution waits on as the view's {@code waiting_for} column keeps them: JSON text (which escapes a
 * NUL in user data, so PostgreSQL's text takes it) in a shape of its own, times as RFC 3339, so how the service's JSON
 * mapper is set up never changes what is stored.
 */
final class StoredWaits {

    private StoredWaits() {
    }

    /** The JSON text to store; null for none. */
    static String write(List<ListenWait> waits, JsonMapper json) {
        if (waits.isEmpty()) {
            return null;
        }
        ArrayNode array = json.createArrayNode();
        for (ListenWait w : waits) {
            ObjectNode node = array.addObject();
            node.put("position", w.position());
            ArrayNode types = node.putArray("types");
            w.types().forEach(types::add);
            ObjectNode correlations = node.putObject("correlations");
            w.correlations().forEach(correlations::put);
            node.put("since", w.since() == null ? null : w.since().toString());
        }
        return json.writeValueAsString(array);
    }

    /** What was stored; none for null. */
    static List<ListenWait> read(String text, JsonMapper json) {
        if (text == null) {
            return List.of();
        }
        List<ListenWait> waits = new ArrayList<>();
        for (JsonNode node : json.readTree(text)) {
            List<String> types = new ArrayList<>();
            node.path("types").forEach(t -> types.add(t.asString()));
            Map<String, String> correlations = new LinkedHashMap<>();
            node.path("correlations").properties().forEach(e -> correlations.put(e.getKey(), e.getValue().asString()));
            JsonNode since = node.path("since");
            waits.add(new ListenWait(node.path("position").asString(), types, correlations,
                    since.isString() ? Instant.parse(since.asString()) : null));
        }
        return waits;
    }
}
