package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * A {@code call: http}'s arguments, typed when the definition is parsed: what stays JSON is what is evaluated when
 * the task is reached (the method, the endpoint, the query, the headers and the body may hold runtime expressions).
 *
 * @param endpoint the URI template, or a runtime expression that gives the URI
 * @param authentication the endpoint's authentication policy (inline, or {@code use} of a named one), or null
 */
record HttpCall(JsonNode method, JsonNode endpoint, JsonNode authentication, JsonNode query, JsonNode headers,
        JsonNode body, Output output, boolean redirect) {

    /** What the task returns: the response's content, the whole response, or its body base64-encoded. */
    enum Output {
        CONTENT, RESPONSE, RAW;

        static Output of(String name) {
            return name == null ? CONTENT : valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** The typed arguments of a {@code with}; the DSL's schema has already checked their shape. */
    static HttpCall parse(JsonNode with) {
        JsonNode endpoint = with.path("endpoint");
        return new HttpCall(with.path("method"), endpoint.isObject() ? endpoint.path("uri") : endpoint,
                endpoint.get("authentication"), with.get("query"), with.get("headers"), with.get("body"),
                Output.of(with.path("output").asText(null)), with.path("redirect").asBoolean(false));
    }
}
