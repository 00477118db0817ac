package io.runstream.worker.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.OpenApiOperation;
import io.runstream.engine.SecretReference;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the request an OpenAPI operation describes from a call's parameters: the method and path from the document,
 * on its server (see {@link OpenApiServers}), path parameters substituted percent-encoded, query, header and cookie
 * parameters from the call's parameters, and the body (see {@link OpenApiBodies}). A parameter the operation requires and the call leaves
 * out is refused; one the operation does not declare is not sent.
 */
final class OpenApiRequests {

    /** Headers the operation's parameters may not set (OpenAPI ignores such parameter definitions). */
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type", "authorization");
    private static final int MAX_REF_DEPTH = 8;

    private OpenApiRequests() {
    }

    /** The request, or an {@link OpenApiException} naming the operation or parameter it cannot be built without. */
    static HttpRequest build(OpenAPI api, URI location, OpenApiOperation call) {
        Found found = find(api, location, call.operationId());
        Placed placed = place(found.path(), parameters(api, found), call);
        Map<String, String> headers = placed.headers();
        OpenApiBodies.Body body = OpenApiBodies.of(api, found.operation(), resolve(api, found.operation()
                .getRequestBody()), call.parameters(), what -> missing(call, what));
        if (body != null) {
            headers.put("Content-Type", body.contentType());
        }
        String accept = OpenApiBodies.accept(found.operation());
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (call.authorization() != null) {
            headers.put("Authorization", call.authorization());
        }
        String uri = OpenApiServers.base(OpenApiServers.of(found.operation(), found.item(), api), location)
                + placed.path() + (placed.query().isEmpty() ? "" : "?" + String.join("&", placed.query()));
        return new HttpRequest(found.method(), uri, headers, body == null ? null : body.bytes());
    }

    /** The call's parameters where the operation puts them: in the path, the query, the headers and a cookie. */
    private record Placed(String path, List<String> query, Map<String, String> headers) {
    }

    private static Placed place(String template, List<Parameter> parameters, OpenApiOperation call) {
        String path = template;
        List<String> query = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Parameter parameter : parameters) {
            JsonNode value = call.parameters().get(parameter.getName());
            if (value == null || value.isNull()) {
                if ("path".equals(parameter.getIn()) || Boolean.TRUE.equals(parameter.getRequired())) {
                    throw missing(call, "the " + parameter.getIn() + " parameter '" + parameter.getName() + "'");
                }
                continue;
            }
            switch (String.valueOf(parameter.getIn())) {
                case "path" -> path = path.replace("{" + parameter.getName() + "}", encode(joined(value)));
                case "query" -> query.addAll(query(parameter, value));
                case "header" -> {
                    if (!RESERVED_HEADERS.contains(parameter.getName().toLowerCase(Locale.ROOT))) {
                        headers.put(parameter.getName(), joined(value));
                    }
                }
                case "cookie" -> cookies.add(parameter.getName() + "=" + joined(value));
                default -> {
                    // an unknown location: nothing the request can carry
                }
            }
        }
        if (!cookies.isEmpty()) {
            headers.put("Cookie", String.join("; ", cookies));
        }
        return new Placed(path, query, headers);
    }

    /** An operation, where it was found. */
    private record Found(String path, PathItem item, String method, Operation operation) {
    }

    private static Found find(OpenAPI api, URI location, String operationId) {
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
                for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().readOperationsMap()
                        .entrySet()) {
                    if (operationId.equals(operation.getValue().getOperationId())) {
                        return new Found(path.getKey(), path.getValue(), operation.getKey().name(),
                                operation.getValue());
                    }
                }
            }
        }
        throw new OpenApiException(HttpResponse.Failure.OPERATION_NOT_FOUND, "the OpenAPI document "
                + SecretReference.hidden(location.toString()) + " has no operation '" + operationId + "'");
    }

    /** The path's parameters and the operation's, the operation's winning where both define one. */
    private static List<Parameter> parameters(OpenAPI api, Found found) {
        Map<String, Parameter> byPlace = new LinkedHashMap<>();
        for (List<Parameter> level : java.util.Arrays.asList(found.item().getParameters(),
                found.operation().getParameters())) {
            if (level != null) {
                for (Parameter declared : level) {
                    Parameter parameter = resolve(api, declared);
                    if (parameter != null && parameter.getName() != null) {
                        byPlace.put(parameter.getIn() + " " + parameter.getName(), parameter);
                    }
                }
            }
        }
        return List.copyOf(byPlace.values());
    }

    private static Parameter resolve(OpenAPI api, Parameter parameter) {
        for (int depth = 0; parameter != null && parameter.get$ref() != null && depth < MAX_REF_DEPTH; depth++) {
            String name = local(parameter.get$ref(), "#/components/parameters/");
            parameter = name == null || api.getComponents() == null || api.getComponents().getParameters() == null
                    ? null : api.getComponents().getParameters().get(name);
        }
        return parameter == null || parameter.get$ref() != null ? null : parameter;
    }

    private static RequestBody resolve(OpenAPI api, RequestBody body) {
        for (int depth = 0; body != null && body.get$ref() != null && depth < MAX_REF_DEPTH; depth++) {
            String name = local(body.get$ref(), "#/components/requestBodies/");
            body = name == null || api.getComponents() == null || api.getComponents().getRequestBodies() == null
                    ? null : api.getComponents().getRequestBodies().get(name);
        }
        return body == null || body.get$ref() != null ? null : body;
    }

    /** The component a reference inside the document names, or null for one outside it (never followed). */
    static String local(String ref, String prefix) {
        return ref.startsWith(prefix) ? ref.substring(prefix.length()) : null;
    }

    private static List<String> query(Parameter parameter, JsonNode value) {
        boolean explode = parameter.getExplode() == null || parameter.getExplode();
        if (value.isArray() && explode) {
            List<String> pairs = new ArrayList<>();
            value.forEach(item -> pairs.add(encode(parameter.getName()) + "=" + encode(text(item))));
            return pairs;
        }
        return List.of(encode(parameter.getName()) + "=" + encode(joined(value)));
    }

    /** A value as one string: an array's items joined with commas, an object as JSON. */
    private static String joined(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        return text(value);
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static OpenApiException missing(OpenApiOperation call, String what) {
        return new OpenApiException(HttpResponse.Failure.PARAMETER_MISSING, "the operation '" + call.operationId()
                + "' requires " + what + ", which the call's parameters leave out");
    }

    /** Percent-encoded for a path segment or a query: everything but unreserved characters. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
