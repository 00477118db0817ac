package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.engine.EventRef;
import io.runstream.engine.Progress;
import io.runstream.engine.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An execution's open listens and held events to and from the JSON text its stored progress keeps them as: they are
 * few, and mostly JSON already (events, correlation values).
 */
final class SubscriptionJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SubscriptionJson() {
    }

    static String write(Iterable<Subscription> subscriptions) {
        ArrayNode array = JSON.createArrayNode();
        for (Subscription s : subscriptions) {
            ObjectNode o = array.addObject();
            o.put("seq", s.seq()).put("fiber", s.fiber()).put("at", s.at()).put("openedAt", s.openedAt().toString());
            ArrayNode interests = o.putArray("interests");
            for (Subscription.Interest interest : s.interests()) {
                ObjectNode i = interests.addObject();
                i.put("type", interest.type());
                interest.correlations().forEach(i.putObject("correlations")::set);
            }
            s.expected().forEach(o.putObject("expected")::set);
            s.met().forEach(o.putArray("met")::add);
            o.set("consumed", s.consumed());
            ArrayNode events = o.putArray("events");
            s.events().forEach(e -> events.addObject().put("type", e.type()).put("source", e.source())
                    .put("id", e.id()));
        }
        return array.isEmpty() ? null : ProgressMapper.write(array);
    }

    static List<Subscription> read(String json) {
        List<Subscription> subscriptions = new ArrayList<>();
        if (json == null) {
            return subscriptions;
        }
        for (JsonNode o : ProgressMapper.read(json)) {
            List<Subscription.Interest> interests = new ArrayList<>();
            for (JsonNode i : o.path("interests")) {
                interests.add(new Subscription.Interest(i.path("type").isNull() ? null : i.path("type").asText(),
                        map(i.path("correlations"), new TreeMap<>())));
            }
            List<Integer> met = new ArrayList<>();
            o.path("met").forEach(n -> met.add(n.asInt()));
            List<EventRef> events = new ArrayList<>();
            o.path("events").forEach(e -> events.add(new EventRef(EventRef.Direction.CONSUMED,
                    e.path("type").asText(), e.path("source").asText(), e.path("id").asText())));
            // progress stored before events were named kept only their keys: "source id"
            o.path("keys").forEach(n -> events.add(new EventRef(EventRef.Direction.CONSUMED, "",
                    n.asText().substring(0, Math.max(0, n.asText().indexOf(' '))),
                    n.asText().substring(n.asText().indexOf(' ') + 1))));
            subscriptions.add(new Subscription(o.path("seq").asLong(), o.path("fiber").asInt(), o.path("at").asText(),
                    Instant.parse(o.path("openedAt").asText()), List.copyOf(interests),
                    Map.copyOf(map(o.path("expected"), new LinkedHashMap<>())), List.copyOf(met),
                    (ArrayNode) o.path("consumed"), List.copyOf(events)));
        }
        return subscriptions;
    }

    static String writeHeld(List<Progress.Held> held) {
        ArrayNode array = JSON.createArrayNode();
        held.forEach(h -> array.addObject().put("at", h.at().toString()).set("event", h.event()));
        return array.isEmpty() ? null : ProgressMapper.write(array);
    }

    static List<Progress.Held> readHeld(String json) {
        List<Progress.Held> held = new ArrayList<>();
        if (json != null) {
            ProgressMapper.read(json).forEach(h -> held.add(new Progress.Held(h.get("event"),
                    Instant.parse(h.path("at").asText()))));
        }
        return held;
    }

    static String writeConsumed(Map<String, Instant> consumed) {
        ObjectNode object = JSON.createObjectNode();
        consumed.forEach((key, at) -> object.put(key, at.toString()));
        return object.isEmpty() ? null : ProgressMapper.write(object);
    }

    static Map<String, Instant> readConsumed(String json) {
        Map<String, Instant> consumed = new LinkedHashMap<>();
        if (json != null) {
            ProgressMapper.read(json).properties().forEach(e -> consumed.put(e.getKey(),
                    Instant.parse(e.getValue().asText())));
        }
        return consumed;
    }

    private static Map<String, JsonNode> map(JsonNode object, Map<String, JsonNode> into) {
        object.properties().forEach(e -> into.put(e.getKey(), e.getValue()));
        return into;
    }
}
