package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A part of a definition that may be given inline or by the name of a {@code use} component (a timeout, a retry
 * policy, an error), resolved when the definition is parsed. A name that resolves to nothing (refused when a
 * definition is stored; one stored before that check may still hold it) fails the task when it is reached, as it
 * always did.
 */
record Component(JsonNode value, String kind, String missing, String at) {

    /** Resolves {@code node}: inline, or the component of that name under {@code use.<kind>}. */
    static Component resolve(JsonNode use, String kind, JsonNode node, String at) {
        if (node == null || !node.isTextual()) {
            return new Component(node, kind, null, at);
        }
        JsonNode found = use.path(kind).get(node.asText());
        return new Component(found, kind, found == null ? node.asText() : null, at);
    }

    /** The value, inline or resolved; a name that resolved to nothing fails as a configuration error here. */
    JsonNode get() {
        if (missing != null) {
            throw WorkflowError.configuration(at, "Unknown reference",
                    "'" + missing + "' is not defined under use." + kind);
        }
        return value;
    }
}
