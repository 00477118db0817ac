package io.runstream.engine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code call: http}: builds the fully resolved request (method, endpoint as a URI template or an expression, query,
 * headers, body) from the task input, and turns the runner's response into the task output ({@code content},
 * {@code response} or {@code raw}). A status outside 2xx (3xx too unless {@code redirect}) is a communication error
 * with that status; a failed connection is a communication error with status 503, a response that never came one
 * with 504, and a response too large for a record one with 502.
 */
final class HttpCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{([A-Za-z0-9_.]+)}");
    private static final int DETAIL_LIMIT = 200;

    private HttpCalls() {
    }

    /**
     * @param evaluate evaluates every expression in a value, given where it stands
     * @param authentications the definition's {@code use.authentications}
     */
    static HttpRequest request(HttpCall call, BiFunction<JsonNode, String, JsonNode> evaluate, JsonNode input,
            String at, JsonNode authentications, java.util.function.Function<SecretReference, String> reference) {
        String method = evaluate.apply(call.method(), at + "/method").asText().toUpperCase(Locale.ROOT);
        String authorization = Authentications.header(call.authentication(), authentications, evaluate, reference,
                at + "/endpoint/authentication");
        JsonNode uriNode = call.endpoint();
        String uri = Expressions.isExpression(uriNode) ? evaluate.apply(uriNode, at + "/endpoint").asText()
                : expand(uriNode.asText(), input, at + "/endpoint");
        if (call.query() != null) {
            uri = withQuery(uri, evaluate.apply(call.query(), at + "/query"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (call.headers() != null) {
            evaluate.apply(call.headers(), at + "/headers").properties()
                    .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        }
        byte[] body = null;
        if (call.body() != null) {
            JsonNode evaluated = evaluate.apply(call.body(), at + "/body");
            body = evaluated.isTextual() ? evaluated.asText().getBytes(StandardCharsets.UTF_8) : bytes(evaluated);
            if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
                headers.put("Content-Type", evaluated.isTextual() ? "text/plain" : "application/json");
            }
        }
        if (authorization != null) {
            // the policy's credential wins over a header of the same name
            headers.keySet().removeIf("authorization"::equalsIgnoreCase);
            headers.put("Authorization", authorization);
        }
        check(uri, at + "/endpoint");
        return new HttpRequest(method, uri, headers, body);
    }

    /** The task's output from the runner's response, or the communication error it amounts to. */
    static JsonNode output(HttpCall spec, HttpRequest call, HttpResponse result, String at) {
        String what = call.method() + " " + SecretReference.hidden(call.uri());
        if (result.failure() != null) {
            throw switch (result.failure()) {
                case TIMED_OUT -> WorkflowError.communication(at, 504, "HTTP call timed out",
                        what + ": " + result.message());
                case TOO_LARGE -> WorkflowError.communication(at, 502, "Response too large",
                        what + ": " + result.message());
                case SECRET_UNAVAILABLE -> WorkflowError.authorization(at, result.message());
                case AUTHENTICATION -> WorkflowError.authentication(at, result.status(), result.message());
                default -> WorkflowError.communication(at, 503, "HTTP call failed", what + ": " + result.message());
            };
        }
        int status = result.status();
        if (status < 200 || status >= (spec.redirect() ? 400 : 300)) {
            String body = new String(result.body(), StandardCharsets.UTF_8);
            throw WorkflowError.communication(at, status, "HTTP " + status, what + " answered " + status
                    + (body.isBlank() ? "" : ": " + truncate(body.strip())));
        }
        JsonNode content = content(result, at);
        return switch (spec.output()) {
            case RAW -> JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(result.body()));
            case RESPONSE -> response(result, call, content);
            case CONTENT -> content;
        };
    }

    /** RFC 6570 simple expansion: each {@code {name}} takes the input's field of that name, percent-encoded. */
    static String expand(String template, JsonNode input, String at) {
        Matcher m = TEMPLATE_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = input.get(m.group(1));
            if (value == null || value.isNull()) {
                throw WorkflowError.expression(at, "endpoint variable '" + m.group(1) + "' is not in the task input");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode(value.asText())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String withQuery(String uri, JsonNode query) {
        StringBuilder out = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, JsonNode> parameter : query.properties()) {
            out.append(separator).append(encode(parameter.getKey())).append('=')
                    .append(encode(parameter.getValue().asText()));
            separator = '&';
        }
        return out.toString();
    }

    static void check(String uri, String at) {
        try {
            URI parsed = new URI(uri);
            if (!"http".equalsIgnoreCase(parsed.getScheme()) && !"https".equalsIgnoreCase(parsed.getScheme())
                    || parsed.getHost() == null) {
                throw WorkflowError.configuration(at, "Invalid endpoint", "'" + uri + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw WorkflowError.configuration(at, "Invalid endpoint", "'" + uri + "': " + e.getMessage());
        }
    }

    private static JsonNode content(HttpResponse result, String at) {
        if (result.body().length == 0) {
            return JsonNodeFactory.instance.nullNode();
        }
        String type = result.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            try {
                return JSON.readTree(result.body());
            } catch (java.io.IOException e) {
                throw WorkflowError.communication(at, 502, "Invalid response", "The body is not valid JSON: "
                        + truncate(e.getMessage()));
            }
        }
        if (type.startsWith("text/") || type.contains("xml") || type.isEmpty()) {
            return JsonNodeFactory.instance.textNode(new String(result.body(), StandardCharsets.UTF_8));
        }
        return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(result.body()));
    }

    private static JsonNode response(HttpResponse result, HttpRequest call, JsonNode content) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode request = response.putObject("request");
        request.put("method", call.method().toLowerCase(Locale.ROOT));
        request.put("uri", SecretReference.hidden(call.uri()));
        ObjectNode requestHeaders = request.putObject("headers");
        call.headers().forEach((name, value) -> requestHeaders.put(name,
                name.equalsIgnoreCase("authorization") ? Authentications.masked(value)
                        : SecretReference.hidden(value)));
        response.put("statusCode", result.status());
        ObjectNode headers = response.putObject("headers");
        result.headers().forEach(headers::put);
        response.set("content", content);
        return response;
    }

    private static byte[] bytes(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String truncate(String text) {
        return text.length() <= DETAIL_LIMIT ? text : text.substring(0, DETAIL_LIMIT) + "...";
    }
}
