package io.runstream.worker.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The body of an OpenAPI request, and the {@code Accept} header. The body is the call's parameter named as the
 * document names it (a Swagger 2 body parameter's name, which the converter keeps as
 * {@code x-codegen-request-body-name}, or {@code x-bodyName}), else its parameter {@code body}; for a form, the
 * parameters named as the form's fields. It is sent as the request body's media type: JSON when it offers one, else
 * a URL-encoded form, else its first; a required body left out is refused.
 */
final class OpenApiBodies {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";
    private static final List<String> NAME_EXTENSIONS = List.of("x-codegen-request-body-name", "x-bodyName");

    /** A request body and its media type. */
    record Body(String contentType, byte[] bytes) {
    }

    private OpenApiBodies() {
    }

    /**
     * The body, or null for none.
     *
     * @param missing the exception for what a required body lacks
     */
    static Body of(OpenAPI api, Operation operation, RequestBody declared, JsonNode given,
            Function<String, OpenApiException> missing) {
        if (declared == null) {
            return null;
        }
        String name = name(operation, declared);
        JsonNode value = present(given, name) ? given.get(name) : present(given, "body") ? given.get("body") : null;
        String type = mediaType(declared.getContent());
        if (value == null && FORM.equals(type)) {
            value = form(api, declared.getContent().get(type), given, missing);
        }
        if (value == null) {
            if (Boolean.TRUE.equals(declared.getRequired())) {
                throw missing.apply("a request body (the parameter '" + (name == null ? "body" : name) + "')");
            }
            return null;
        }
        return new Body(type, bytes(type, value));
    }

    /** What the operation answers in: JSON when a success response offers it, else its only media type, or null. */
    static String accept(Operation operation) {
        Set<String> types = new LinkedHashSet<>();
        if (operation.getResponses() != null) {
            for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                if ((response.getKey().startsWith("2") || response.getKey().equals("default"))
                        && response.getValue().getContent() != null) {
                    types.addAll(response.getValue().getContent().keySet());
                }
            }
        }
        if (types.stream().anyMatch(OpenApiBodies::isJson)) {
            return JSON;
        }
        return types.size() == 1 && !types.contains("*/*") ? types.iterator().next() : null;
    }

    private static String name(Operation operation, RequestBody declared) {
        for (String extension : NAME_EXTENSIONS) {
            for (Map<String, Object> extensions : java.util.Arrays.asList(operation.getExtensions(),
                    declared.getExtensions())) {
                if (extensions != null && extensions.get(extension) instanceof String name) {
                    return name;
                }
            }
        }
        return null;
    }

    private static boolean present(JsonNode given, String name) {
        return name != null && given.hasNonNull(name);
    }

    private static String mediaType(Content content) {
        if (content == null || content.isEmpty()) {
            return JSON;
        }
        if (content.containsKey(JSON)) {
            return JSON;
        }
        for (String type : content.keySet()) {
            if (isJson(type)) {
                return type;
            }
        }
        if (content.containsKey(FORM)) {
            return FORM;
        }
        String first = content.keySet().iterator().next();
        return first.contains("*") ? JSON : first;
    }

    private static boolean isJson(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.equals(JSON) || lower.endsWith("+json") || lower.startsWith(JSON + ";");
    }

    /** A form from the call's parameters named as its fields, all its required ones given; null when none is. */
    private static JsonNode form(OpenAPI api, MediaType media, JsonNode given,
            Function<String, OpenApiException> missing) {
        Schema<?> schema = media == null ? null : media.getSchema();
        if (schema != null && schema.get$ref() != null && api.getComponents() != null
                && api.getComponents().getSchemas() != null) {
            String name = OpenApiRequests.local(schema.get$ref(), "#/components/schemas/");
            schema = name == null ? null : api.getComponents().getSchemas().get(name);
        }
        if (schema == null || schema.getProperties() == null) {
            return null;
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        schema.getProperties().keySet().stream().filter(given::hasNonNull)
                .forEach(field -> fields.set(field, given.get(field)));
        if (fields.isEmpty()) {
            return null;
        }
        for (String field : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
            if (!fields.has(field)) {
                throw missing.apply("the form field '" + field + "'");
            }
        }
        return fields;
    }

    private static byte[] bytes(String type, JsonNode value) {
        String lower = type.toLowerCase(Locale.ROOT);
        if (isJson(lower)) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (lower.startsWith(FORM) && value.isObject()) {
            List<String> pairs = new ArrayList<>();
            value.properties().forEach(field -> {
                List<JsonNode> items = new ArrayList<>();
                if (field.getValue().isArray()) {
                    field.getValue().forEach(items::add);
                } else {
                    items.add(field.getValue());
                }
                items.forEach(item -> pairs.add(form(field.getKey()) + "=" + form(text(item))));
            });
            return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
        }
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
