package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code call: openapi}'s arguments, typed when the definition is parsed: what stays JSON is evaluated when the
 * task is reached (the document's endpoint, the operation id, the parameters and both authentications may hold
 * runtime expressions).
 *
 * @param document the document's URI template, or a runtime expression that gives its URI
 * @param documentAuthentication the document endpoint's authentication policy, or null
 * @param authentication the call's own authentication policy (inline, or {@code use} of a named one), or null
 */
record OpenApiCall(JsonNode document, JsonNode documentAuthentication, JsonNode operationId, JsonNode parameters,
        JsonNode authentication, HttpCall.Output output, boolean redirect) {

    /** The typed arguments of a {@code with}; the DSL's schema has already checked their shape. */
    static OpenApiCall parse(JsonNode with) {
        JsonNode endpoint = with.path("document").path("endpoint");
        return new OpenApiCall(endpoint.isObject() ? endpoint.path("uri") : endpoint, endpoint.get("authentication"),
                with.path("operationId"), with.get("parameters"), with.get("authentication"),
                HttpCall.Output.of(with.path("output").asText(null)), with.path("redirect").asBoolean(false));
    }

    /** What turns the response into the task's output, as for {@code call: http}: the output format and redirect. */
    HttpCall response() {
        return new HttpCall(null, null, null, null, null, null, output, redirect);
    }
}
