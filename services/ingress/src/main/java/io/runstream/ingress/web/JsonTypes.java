package io.runstream.ingress.web;

import tools.jackson.databind.JsonNode;

/** A JSON value's kind in plain words, for messages such as "reason must be a string, not an array". */
final class JsonTypes {

    private JsonTypes() {
    }

    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "true or false";
        }
        if (value.isNull()) {
            return "null";
        }
        return "a string";
    }
}
