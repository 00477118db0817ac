package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a runner needs, besides the request that fetches the document, to make a {@code call: openapi}: the operation
 * to find in the document, its parameters evaluated, and the {@code Authorization} header of the call itself. The
 * runner reads the document, builds the request the operation describes, and makes it as it makes any call.
 *
 * @param operationId the {@code operationId} to find in the document
 * @param parameters the task's {@code parameters}, evaluated: a JSON object of name to value
 * @param authorization the header the call's own {@code authentication} makes, or null for none
 */
public record OpenApiOperation(String operationId, JsonNode parameters, String authorization) {

    public OpenApiOperation {
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters.deepCopy();
    }
}
