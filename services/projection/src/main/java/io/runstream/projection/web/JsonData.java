package io.runstream.projection.web;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stored input and output as JSON values; text that is not JSON (cut by the worker's limit) is given as a string. */
final class JsonData {

    private JsonData() {
    }

    static JsonNode parse(String text, JsonMapper json) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JacksonException notJson) {
            return json.getNodeFactory().stringNode(text);
        }
    }
}
