package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code call: openapi}: one activity that a runner performs whole. The engine evaluates the arguments (the
 * document's URI and credentials, the operation id, the parameters, the call's credentials) into the request that
 * fetches the document, with the operation to build from it; the runner reads the document, finds the operation and
 * makes the request it describes. Its response becomes the task output as for {@code call: http}; a document that
 * cannot be fetched is a communication error with the fetch's status, one that does not parse or lacks the operation
 * a configuration error (400), and a required parameter left out a validation error (400).
 */
final class OpenApiCalls {

    private OpenApiCalls() {
    }

    /**
     * @param evaluate evaluates every expression in a value, given where it stands
     * @param authentications the definition's {@code use.authentications}
     * @param reference the token of a reference to a secret
     */
    static HttpRequest request(OpenApiCall call, BiFunction<JsonNode, String, JsonNode> evaluate, JsonNode input,
            String at, JsonNode authentications, Function<SecretReference, String> reference) {
        String documentAt = at + "/document/endpoint";
        String uri = Expressions.isExpression(call.document())
                ? evaluate.apply(call.document(), documentAt).asText()
                : HttpCalls.expand(call.document().asText(), input, documentAt);
        HttpCalls.check(uri, documentAt);
        Map<String, String> headers = new LinkedHashMap<>();
        String documentAuthorization = Authentications.header(call.documentAuthentication(), authentications,
                evaluate, reference, documentAt + "/authentication");
        if (documentAuthorization != null) {
            headers.put("Authorization", documentAuthorization);
        }
        String operationId = evaluate.apply(call.operationId(), at + "/operationId").asText();
        JsonNode parameters = call.parameters() == null ? JsonNodeFactory.instance.objectNode()
                : evaluate.apply(call.parameters(), at + "/parameters");
        if (!parameters.isObject()) {
            throw WorkflowError.expression(at + "/parameters", "parameters must be an object, not "
                    + parameters.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String authorization = Authentications.header(call.authentication(), authentications, evaluate, reference,
                at + "/authentication");
        return new HttpRequest("GET", uri, headers, null, new OpenApiOperation(operationId, parameters,
                authorization));
    }

    /** The task's output from the runner's result, or the error it amounts to. */
    static JsonNode output(OpenApiCall call, HttpRequest dispatched, HttpResponse result, String at) {
        if (result.failure() != null) {
            switch (result.failure()) {
                case DOCUMENT_UNAVAILABLE -> throw WorkflowError.communication(at, result.status(),
                        "OpenAPI document unavailable", result.message());
                case DOCUMENT_INVALID -> throw WorkflowError.configuration(at, "Invalid OpenAPI document",
                        result.message());
                case OPERATION_NOT_FOUND -> throw WorkflowError.configuration(at, "Unknown OpenAPI operation",
                        result.message());
                case PARAMETER_MISSING -> throw new WorkflowError(WorkflowError.VALIDATION, 400,
                        "Missing OpenAPI parameter", result.message(), at);
                default -> {
                    // a failure of the fetch or of the call itself, as for call: http
                }
            }
        }
        return HttpCalls.output(call.response(), result.request() == null ? dispatched : result.request(), result,
                at);
    }
}
