package io.runstream.devstack;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Malformed and hostile requests for every operation of the OpenAPI document, so that an operation added to the
 * document is fuzzed too: each path parameter, query parameter and header in turn takes each hostile value (NUL,
 * invalid UTF-8, control characters, out-of-range numbers and times, forged cursors, oversized values), and each
 * request body takes each hostile body (wrong JSON types, deep nesting, invalid UTF-8, NUL, truncated, oversized,
 * wrong content types).
 */
final class FuzzCases {

    /** One request: what it is, for the failure message, and what to send. */
    record Case(String operation, String what, String method, String pathAndQuery, Map<String, String> headers,
            String contentType, byte[] body) {
    }

    /** Percent-encoded, as they go into a URL; invalid UTF-8 and NUL included. */
    private static final List<String> HOSTILE_TEXT = List.of("%00", "a%00b", "%FF%FE", "%C3%28", "%ED%A0%80",
            "a%0D%0Ab", "%E2%80%AE", "%25", "..", "%2E%2E", "%2F", "x".repeat(5_000), "-1", "1e309",
            "%27%3B%20DROP%20TABLE%20executions%3B--", "%3Cscript%3E", "%F0%9F%92%A5", "%20");
    private static final List<String> HOSTILE_NUMBERS = List.of("-1", "0", "99999999999999999999", "1e309", "NaN",
            "abc", "", "1.5", "0x10", "%00", "2147483648", "-9223372036854775809");
    private static final List<String> HOSTILE_TIMES = List.of("%2B300000-01-01T00:00:00Z",
            "-300000-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "0000-00-00T00:00:00Z", "9999999999",
            "2026-12-04", "%00", "now");
    private static final List<String> HOSTILE_CURSORS = List.of(b64("garbage"), b64("{\"a\":[]}"), b64("\u0000"),
            b64("{\"startedAt\":\"x\",\"id\":5}"), b64("[1,2,3]"), b64("99999999999999999999"), "!!!!", "%00",
            b64("x".repeat(10_000)), b64("{\"t\":\"+300000-01-01T00:00:00Z\",\"id\":\"" + UUID.randomUUID() + "\"}"));

    private static final List<byte[]> HOSTILE_BODIES = List.of(utf8("\"x\""), utf8("1"), utf8("[]"), utf8("null"),
            utf8("true"), utf8("{}"), utf8(""), utf8("[".repeat(2_000) + "]".repeat(2_000)),
            utf8("{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500)),
            utf8("{\"inputData\":{\"note\":\"a\\u0000b\"},\"reason\":\"r\\u0000\",\"workflowId\":\"w\\u0000\"}"),
            new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
            utf8("{\"inputData\":"), utf8("{\"inputData\":1e400}"), utf8("{\"a\":1,\"a\":2}"),
            utf8("{\"reason\":[\"x\"],\"expectedAttempt\":\"x\",\"commandId\":5}"),
            utf8("{\"reason\":{\"a\":1},\"expectedAttempt\":99999999999,\"commandId\":\"not-a-uuid\"}"),
            utf8("{\"workflowId\":5,\"sourceSystem\":[],\"sourceEntityType\":{}}"),
            utf8("{\"workflowId\":\"" + "w".repeat(3_000) + "\",\"input\":{\"inputJson\":\"{\"}}"),
            utf8("{\"inputData\":{\"blob\":\"" + "y".repeat(200_000) + "\"}}"),
            utf8("a: [\n  - b: {\n"), utf8("document: {dsl: '1.0.0'}\ndo: 5\n"),
            utf8("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                    + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                    + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"),
            "{\"x\":\"".concat("z".repeat(1_100_000)).concat("\"}").getBytes(StandardCharsets.UTF_8));
    private static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/json; charset=ISO-8859-1", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/cloudevents+json", "garbage");
    private static final List<String> HOSTILE_HEADERS = List.of("x".repeat(300), "", " ", "k\u00e9y", "\u2603",
            "a\tb");

    private final String workflowId;

    FuzzCases(String workflowId) {
        this.workflowId = workflowId;
    }

    List<Case> from(String openApiYaml) {
        OpenAPI api = new OpenAPIV3Parser().readContents(openApiYaml).getOpenAPI();
        List<Case> cases = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                cases.addAll(forOperation(path, item, method.name(), operation))));
        return cases;
    }

    private List<Case> forOperation(String path, PathItem item, String method, Operation operation) {
        String name = operation.getOperationId() == null ? method + " " + path : operation.getOperationId();
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if ("path".equals(p.getIn())) {
                pathValues.put(p.getName(), sensible(p.getName()));
            } else if ("header".equals(p.getIn()) && Boolean.TRUE.equals(p.getRequired())) {
                headers.put(p.getName(), "fuzz-" + UUID.randomUUID());
            }
        }
        List<String> contentTypes = operation.getRequestBody() == null || operation.getRequestBody().getContent()
                == null ? List.of() : List.copyOf(operation.getRequestBody().getContent().keySet());
        String contentType = contentTypes.isEmpty() ? null : contentTypes.get(0);
        byte[] sensibleBody = contentType == null ? null : sensibleBody(contentType);
        Template t = new Template(name, method, path, pathValues, headers, contentType, sensibleBody);

        List<Case> cases = new ArrayList<>();
        cases.add(t.with("as documented", pathValues, "", headers, contentType, sensibleBody));
        for (String param : pathValues.keySet()) {
            for (String hostile : HOSTILE_TEXT) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(param, hostile);
                cases.add(t.with("path " + param + "=" + shorten(hostile), values, "", headers, contentType,
                        sensibleBody));
            }
        }
        for (Parameter p : parameters) {
            if ("query".equals(p.getIn())) {
                for (String hostile : hostileFor(p)) {
                    String query = "?" + p.getName() + "=" + hostile;
                    cases.add(t.with("query " + p.getName() + "=" + shorten(hostile), pathValues, query, headers,
                            contentType, sensibleBody));
                }
                cases.add(t.with("query " + p.getName() + " twice", pathValues, "?" + p.getName() + "=1&"
                        + p.getName() + "=%00", headers, contentType, sensibleBody));
            }
            if ("header".equals(p.getIn())) {
                for (String hostile : HOSTILE_HEADERS) {
                    Map<String, String> h = new LinkedHashMap<>(headers);
                    h.put(p.getName(), hostile);
                    cases.add(t.with("header " + p.getName() + "=" + shorten(hostile), pathValues, "", h,
                            contentType, sensibleBody));
                }
            }
        }
        boolean takesBody = contentType != null || "POST".equals(method) || "PUT".equals(method);
        if (takesBody) {
            String type = contentType == null ? "application/json" : contentType;
            for (byte[] body : HOSTILE_BODIES) {
                cases.add(t.with("body " + shorten(new String(body, StandardCharsets.UTF_8)), pathValues, "",
                        headers, type, body));
                if (contentTypes.size() > 1) {
                    cases.add(t.with("body as " + contentTypes.get(1) + ": "
                            + shorten(new String(body, StandardCharsets.UTF_8)), pathValues, "", headers,
                            contentTypes.get(1), body));
                }
            }
            for (String wrong : WRONG_CONTENT_TYPES) {
                cases.add(t.with("content type " + wrong, pathValues, "", headers, wrong,
                        sensibleBody == null ? utf8("{}") : sensibleBody));
            }
            cases.add(t.with("no content type", pathValues, "", headers, null,
                    sensibleBody == null ? utf8("{}") : sensibleBody));
        }
        return cases;
    }

    private static List<String> hostileFor(Parameter p) {
        String type = p.getSchema() == null ? "string" : String.valueOf(p.getSchema().getType());
        String format = p.getSchema() == null ? null : p.getSchema().getFormat();
        List<String> values = new ArrayList<>(HOSTILE_TEXT);
        if ("integer".equals(type) || "number".equals(type) || "boolean".equals(type)) {
            values.addAll(HOSTILE_NUMBERS);
        }
        if ("date-time".equals(format)) {
            values.addAll(HOSTILE_TIMES);
        }
        if (p.getName().toLowerCase().contains("cursor") || p.getName().toLowerCase().contains("token")) {
            values.addAll(HOSTILE_CURSORS);
        }
        if ("filter".equals(p.getName())) {
            values.addAll(List.of("started_at%3E%22%2B300000-01-01T00:00:00Z%22", "started_at%3E%22x%22",
                    "status%3D%22%00%22", "%28%28%28", "a%3Db%20AND%20c%3Dd%20AND%20" + "e%3Df%20AND%20".repeat(200)));
        }
        return values;
    }

    private String sensible(String parameter) {
        return switch (parameter) {
            case "workflowId" -> workflowId;
            case "version" -> "1";
            default -> UUID.randomUUID().toString();
        };
    }

    private byte[] sensibleBody(String contentType) {
        if (contentType.contains("yaml")) {
            return utf8("document: {dsl: '1.0.0', namespace: fuzz, name: target, version: '0.1.0'}\n"
                    + "do:\n  - echo:\n      set: {done: true}\n");
        }
        return utf8("{\"inputData\":{\"x\":1},\"workflowId\":\"" + workflowId + "\",\"sourceSystem\":\"fuzz\","
                + "\"sourceEntityType\":\"case\"}");
    }

    /** What the cases of one operation share. */
    private record Template(String operation, String method, String path, Map<String, String> pathValues,
            Map<String, String> headers, String contentType, byte[] body) {

        Case with(String what, Map<String, String> values, String query, Map<String, String> headers,
                String contentType, byte[] body) {
            String filled = path;
            for (var e : values.entrySet()) {
                filled = filled.replace("{" + e.getKey() + "}", e.getValue());
            }
            return new Case(operation, what, method, filled + query, headers, contentType, body);
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\u0000", "\\0");
        return oneLine.length() > 60 ? oneLine.substring(0, 60) + "...(" + oneLine.length() + ")" : oneLine;
    }

    private static String b64(String text) {
        return URLEncoder.encode(Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
