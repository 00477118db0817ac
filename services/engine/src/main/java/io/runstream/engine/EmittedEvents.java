package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CloudEvent an {@code emit} writes, as JSON in the structured format: its {@code with} evaluated, and what it
 * leaves out filled in so that a replay gives the same event. {@code id} is the execution's id and the number the
 * event takes (numbers are never used twice in an execution, across redrives too, so two emits of one task in a
 * {@code for} or a {@code fork} differ); {@code source} is {@code /{namespace}/{name}/{version}}; {@code time} is the
 * step's time. Other attributes are extensions; the tenant's ({@value #TENANT}) is Runstream's to set.
 */
final class EmittedEvents {

    /** The extension attribute that carries the tenant an event belongs to. */
    static final String TENANT = "runstreamtenant";
    private static final Set<String> STRINGS = Set.of("id", "source", "type", "time", "subject", "datacontenttype",
            "dataschema");
    private static final Set<String> RESERVED = Set.of("specversion", "data_base64", TENANT);
    /** CloudEvents attribute names: lower-case ASCII letters and digits, at most 20 of them. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,20}");

    private EmittedEvents() {
    }

    /** What is wrong with an {@code emit.event.with} before it runs: no type, or attributes no event may carry. */
    static void check(JsonNode with, String at, List<Problem> problems) {
        if (!with.isObject()) {
            problems.add(new Problem(at, "an emitted event is an object of its attributes and its data"));
            return;
        }
        JsonNode type = with.get("type");
        if (type == null || type.isTextual() && type.asText().isBlank()) {
            problems.add(new Problem(at, "an emitted event needs a 'type'"));
        }
        for (Map.Entry<String, JsonNode> attribute : with.properties()) {
            String name = attribute.getKey();
            String where = at + "/" + name;
            if (name.equals("data")) {
                continue;
            }
            if (RESERVED.contains(name)) {
                problems.add(new Problem(where, "'" + name + "' is set by Runstream, not by the workflow"));
            } else if (!NAME.matcher(name).matches()) {
                problems.add(new Problem(where, "'" + name + "' is not a CloudEvents attribute name: at most 20 "
                        + "lower-case ASCII letters and digits"));
            } else if (!attribute.getValue().isValueNode() || attribute.getValue().isNull()) {
                problems.add(new Problem(where, "an attribute is a string, a number or a boolean, not "
                        + attribute.getValue().getNodeType()));
            }
        }
    }

    /** The event, from its {@code with} as evaluated. */
    static ObjectNode build(JsonNode with, JsonNode document, String executionId, long number, Instant now,
            String at) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("specversion", "1.0");
        event.put("id", text(with, "id", at, (executionId == null ? "run" : executionId) + "-" + number));
        event.put("source", text(with, "source", at, "/" + document.path("namespace").asText() + "/"
                + document.path("name").asText() + "/" + document.path("version").asText()));
        event.put("type", text(with, "type", at, null));
        event.put("time", text(with, "time", at, now.toString()));
        for (Map.Entry<String, JsonNode> attribute : with.properties()) {
            String name = attribute.getKey();
            if (name.equals("data") || event.has(name)) {
                continue;
            }
            JsonNode value = attribute.getValue();
            if (STRINGS.contains(name)) {
                event.put(name, text(with, name, at, null));
            } else if (value.isValueNode() && !value.isNull()) {
                event.set(name, value);
            } else {
                throw WorkflowError.expression(at + "/" + name, "the extension '" + name
                        + "' must be a string, a number or a boolean, not " + value.getNodeType());
            }
        }
        if (with.has("data")) {
            event.set("data", with.get("data"));
        }
        return event;
    }

    private static String text(JsonNode with, String name, String at, String otherwise) {
        JsonNode value = with.get(name);
        if (value == null || value.isNull()) {
            if (otherwise == null) {
                throw WorkflowError.expression(at + "/" + name, "an emitted event needs a '" + name + "'");
            }
            return otherwise;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw WorkflowError.expression(at + "/" + name, "'" + name + "' must be a non-empty string, not "
                    + (value.isTextual() ? "an empty one" : value.getNodeType()));
        }
        return value.asText();
    }
}
