package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document the gateway serves, checked against the running implementation both ways: every documented
 * operation is called and each request and response is validated against the document, and every handler the
 * services map is in the document.
 */
class OpenApiContractIT {

    private static final TestStack stack = TestStack.shared();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_KEY = "none";

    private final Set<String> exercised = new TreeSet<>();
    private OpenApiInteractionValidator validator;

    /** One call: the documented operation it exercises, and what came back. */
    private record Call(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Call call(String operation, String method, String pathAndQuery, String contentType, String body,
            Map<String, String> headers, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean anonymous = NO_KEY.equals(headers.get("X-API-Key"));
        if (!anonymous) {
            request.header("X-API-Key", TestStack.KEY);
        }
        headers.forEach((k, v) -> {
            if (!anonymous || !k.equals("X-API-Key")) {
                request.header(k, v);
            }
        });
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        SimpleRequest.Builder documented = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
        if (pathAndQuery.contains("?")) {
            for (String pair : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                documented.withQueryParam(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        if (!anonymous) {
            documented.withHeader("X-API-Key", TestStack.KEY);
        }
        headers.forEach((k, v) -> {
            if (!anonymous) {
                documented.withHeader(k, v);
            }
        });
        if (contentType != null) {
            documented.withContentType(contentType);
        }
        if (body != null) {
            documented.withBody(body);
        }
        SimpleResponse.Builder answered = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().firstValue("Content-Type").ifPresent(answered::withContentType);
        ValidationReport report = validator.validate(documented.build(), answered.build());
        assertThat(report.getMessages().stream()
                // A request sent to provoke a 400 or 401 breaks the document on purpose; its response must not.
                .filter(m -> !((expected == 400 || expected == 401) && m.getKey().startsWith("validation.request.")))
                .map(m -> m.getKey() + ": " + m.getMessage()).toList())
                .as("%s %s -> %d %s", method, pathAndQuery, response.statusCode(), response.body())
                .isEmpty();
        assertThat(response.statusCode()).as("%s %s: %s", method, pathAndQuery, response.body()).isEqualTo(expected);
        exercised.add(operation);
        return new Call(response.statusCode(), response.body());
    }

    private Call call(String operation, String method, String pathAndQuery, int expected) throws Exception {
        return call(operation, method, pathAndQuery, null, null, Map.of(), expected);
    }

    private Call json(String operation, String method, String pathAndQuery, String body, int expected)
            throws Exception {
        return call(operation, method, pathAndQuery, "application/json", body, Map.of(), expected);
    }

    @Test
    void shouldServeADocumentThatMatchesWhatTheServicesDo() throws Exception {
        HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl + "/openapi.yaml"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(document.statusCode()).isEqualTo(200);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(document.body()).build();

        String workflow = "contract-" + UUID.randomUUID();
        String slow = "contract-slow-" + UUID.randomUUID();
        String yaml = "document: {dsl: '1.0.0', namespace: c, name: c, version: '1.0.0'}\n"
                + "do:\n  - s:\n      set: {ok: true}\n";
        String slowYaml = "document: {dsl: '1.0.0', namespace: c, name: s, version: '1.0.0'}\n"
                + "do:\n  - p:\n      wait: PT1H\n";
        String failing = "contract-failing-" + UUID.randomUUID();
        String failingYaml = "document: {dsl: '1.0.0', namespace: c, name: f, version: '1.0.0'}\n"
                + "do:\n  - r:\n      raise:\n        error: {type: 'https://example.com/errors/refused', status: 422,"
                + " title: Refused}\n";

        // catalog
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + workflow, "application/yaml", yaml, Map.of(), 201);
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + workflow, "application/yaml", yaml, Map.of(), 200);
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + slow, "application/yaml", slowYaml, Map.of(), 201);
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + failing, "application/yaml", failingYaml,
                Map.of(), 201);
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/bad", "application/yaml", "do: nope", Map.of(), 400);
        call("GET /v1/workflows/{workflowId}", "GET", "/v1/workflows/" + workflow, 200);
        call("GET /v1/workflows/{workflowId}", "GET", "/v1/workflows/nowhere", 404);
        call("GET /v1/workflows", "GET", "/v1/workflows?limit=5", 200);
        Call versions = call("GET /v1/workflows/{workflowId}/versions", "GET",
                "/v1/workflows/" + workflow + "/versions?limit=1", 200);
        assertThat(versions.json().path("items").get(0).path("version").asInt()).isEqualTo(2);
        assertThat(versions.json().path("hasMore").asBoolean()).isTrue();
        Call older = call("GET /v1/workflows/{workflowId}/versions", "GET", "/v1/workflows/" + workflow
                + "/versions?limit=1&cursor=" + versions.json().path("nextCursor").asText(), 200);
        assertThat(older.json().path("items").get(0).path("version").asInt()).isEqualTo(1);
        assertThat(older.json().path("hasMore").asBoolean()).isFalse();
        call("GET /v1/workflows/{workflowId}/versions", "GET", "/v1/workflows/nowhere/versions", 404);
        call("GET /v1/workflows/{workflowId}/versions", "GET", "/v1/workflows/" + workflow + "/versions?limit=0", 400);
        assertThat(call("GET /v1/workflows/{workflowId}/versions/{version}", "GET",
                "/v1/workflows/" + workflow + "/versions/1", 200).json().path("definition").asText()).isEqualTo(yaml);
        assertThat(call("GET /v1/workflows/{workflowId}/versions/{version}", "GET",
                "/v1/workflows/" + workflow + "/versions/3", 404).json().path("code").asText())
                .isEqualTo("VERSION_NOT_FOUND");
        call("GET /v1/workflows/{workflowId}/versions/{version}", "GET", "/v1/workflows/" + workflow + "/versions/x",
                400);
        call("POST /v1/workflows/{workflowId}/deactivate", "POST", "/v1/workflows/" + workflow + "/deactivate", 200);
        call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + workflow + "/executions",
                "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", "x"), 422);
        call("POST /v1/workflows/{workflowId}/activate", "POST", "/v1/workflows/" + workflow + "/activate", 200);

        // a scheduled workflow shows its schedule and next fire; deactivated, no next fire
        String hourly = "contract-hourly-" + UUID.randomUUID();
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + hourly, "application/yaml",
                yaml.replace("\ndo:", "\nschedule: {every: PT1H}\ndo:"), Map.of(), 201);
        JsonNode schedule = call("GET /v1/workflows/{workflowId}", "GET", "/v1/workflows/" + hourly, 200).json()
                .path("schedule");
        assertThat(schedule.path("kind").asText()).isEqualTo("every");
        assertThat(schedule.path("expression").asText()).isEqualTo("PT1H");
        assertThat(schedule.path("nextFireAt").asText()).endsWith(":00:00Z");
        assertThat(call("POST /v1/workflows/{workflowId}/deactivate", "POST", "/v1/workflows/" + hourly
                + "/deactivate", 200).json().path("schedule").path("nextFireAt").isNull()).isTrue();
        String after = "contract-after-" + UUID.randomUUID();
        assertThat(call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + after, "application/yaml",
                yaml.replace("\ndo:", "\nschedule: {after: PT5M}\ndo:"), Map.of(), 201).json().path("schedule")
                .path("nextFireAt").isNull()).isTrue();
        call("POST /v1/workflows/{workflowId}/deactivate", "POST", "/v1/workflows/" + after + "/deactivate", 200);
        assertThat(call("GET /v1/workflows/{workflowId}", "GET", "/v1/workflows/" + workflow, 200).json()
                .has("schedule")).as("none without one").isFalse();

        // canonical executions
        String key = UUID.randomUUID().toString();
        String id = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + workflow
                + "/executions", "application/json", "{\"inputData\":{\"a\":1}}", Map.of("Idempotency-Key", key), 201)
                .json().get("executionId").asText();
        call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + workflow + "/executions",
                "application/json", "{\"inputData\":{\"a\":1}}", Map.of("Idempotency-Key", key), 200);
        call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/nowhere/executions",
                "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", key), 404);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + id, 200).json()
                        .get("status").asText()).isEqualTo("SUCCEEDED"));
        call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + id + "?waitForTerminalSeconds=1", 200);

        // a start that waits for its result: the ended view (a replay of it too); the start's answer while it runs
        String waitKey = UUID.randomUUID().toString();
        String start = "POST /v1/workflows/{workflowId}/executions";
        JsonNode ended = call(start, "POST", "/v1/workflows/" + workflow + "/executions?waitForTerminalSeconds=10",
                "application/json", "{\"inputData\":{\"a\":2}}", Map.of("Idempotency-Key", waitKey), 200).json();
        assertThat(ended.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(ended.path("input").path("a").asInt()).isEqualTo(2);
        assertThat(ended.path("output").path("ok").asBoolean()).isTrue();
        JsonNode replayed = call(start, "POST", "/v1/workflows/" + workflow + "/executions?waitForTerminalSeconds=10",
                "application/json", "{\"inputData\":{\"a\":2}}", Map.of("Idempotency-Key", waitKey), 200).json();
        assertThat(replayed.path("executionId").asText()).isEqualTo(ended.path("executionId").asText());
        assertThat(replayed.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(call(start, "POST", "/v1/workflows/" + slow + "/executions?waitForTerminalSeconds=1",
                "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                201).json().path("status").asText()).isEqualTo("pending");
        assertThat(call(start, "POST", "/v1/workflows/" + workflow + "/executions?waitForTerminalSeconds=61",
                "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                400).json().path("message").asText()).contains("waitForTerminalSeconds");
        call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + UUID.randomUUID(), 404);
        call("GET /v1/executions", "GET", "/v1/executions?workflowId=" + workflow + "&status=SUCCEEDED&limit=10", 200);
        call("GET /v1/executions", "GET", "/v1/executions?cursor=nope", 400);
        call("GET /v1/executions", "GET", "/v1/executions", null, null, Map.of("X-API-Key", NO_KEY), 401);
        call("GET /v1/executions/{executionId}/history", "GET", "/v1/executions/" + id + "/history?limit=10", 200);
        call("GET /v1/executions/{executionId}/events", "GET", "/v1/executions/" + id + "/events", null, null,
                Map.of("Accept", "text/event-stream"), 200);
        call("POST /v1/executions/{executionId}/stop", "POST", "/v1/executions/" + id + "/stop?waitSeconds=10", 409);
        call("POST /v1/executions/{executionId}/stop", "POST", "/v1/executions/" + UUID.randomUUID()
                + "/stop?waitSeconds=10", 404);
        call("POST /v1/executions/{executionId}/stop", "POST", "/v1/executions/" + id + "/stop?waitSeconds=99", 400);
        String running = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + slow
                + "/executions", "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", key), 201)
                .json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + running, 200));
        json("POST /v1/executions/{executionId}/stop", "POST", "/v1/executions/" + running + "/stop",
                "{\"reason\":\"contract\"}", 202);
        String running2 = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + slow
                + "/executions", "application/json", "{\"inputData\":{}}",
                Map.of("Idempotency-Key", key + "-2"), 201).json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + running2, 200));
        json("POST /v1/executions/{executionId}/stop", "POST", "/v1/executions/" + running2 + "/stop?waitSeconds=10",
                "{\"reason\":\"contract\"}", 200);
        String running3 = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + slow
                + "/executions", "application/json", "{\"inputData\":{}}",
                Map.of("Idempotency-Key", key + "-3"), 201).json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + running3, 200));
        json("POST /v1/executions/{executionId}/pause", "POST", "/v1/executions/" + running3 + "/pause?waitSeconds=10",
                "{\"reason\":\"contract\"}", 200);
        call("POST /v1/executions/{executionId}/pause", "POST", "/v1/executions/" + running3
                + "/pause?waitSeconds=10", 409);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + running3, 200).json()
                        .get("phase").asText()).isEqualTo("SUSPENDED"));
        call("POST /v1/executions/{executionId}/resume", "POST", "/v1/executions/" + running3
                + "/resume?waitSeconds=10", 200);
        call("POST /v1/executions/{executionId}/resume", "POST", "/v1/executions/" + running3
                + "/resume?waitSeconds=10", 409);
        call("POST /v1/executions/{executionId}/pause", "POST", "/v1/executions/" + running3 + "/pause", 202);

        // redrive: a succeeded execution has nothing to redrive, a failed one reopens (and here fails again)
        call("POST /v1/executions/{executionId}/redrive", "POST", "/v1/executions/" + id + "/redrive?waitSeconds=10",
                409);
        call("POST /v1/executions/{executionId}/redrive", "POST", "/v1/executions/" + id + "/redrive", 202);
        String failed = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + failing
                + "/executions", "application/json", "{\"inputData\":{}}", Map.of("Idempotency-Key", key), 201)
                .json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + failed, 200).json()
                        .get("status").asText()).isEqualTo("FAILED"));
        JsonNode redriven = json("POST /v1/executions/{executionId}/redrive", "POST", "/v1/executions/" + failed
                + "/redrive?waitSeconds=10", "{\"reason\":\"contract\"}", 200).json();
        assertThat(redriven.get("status").asText()).as("its raise fails it again in the same step").isEqualTo(
                "FAILED");
        assertThat(redriven.get("redriveCount").asInt()).isEqualTo(1);
        long sequence = redriven.path("sequence").asLong();
        assertThat(sequence).as("the sequence the redrive answered with").isPositive();
        JsonNode again = call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + failed
                + "?waitForTerminalSeconds=20&minSequence=" + sequence, 200).json();
        assertThat(again.get("status").asText()).as("the redrive raises again").isEqualTo("FAILED");
        assertThat(again.get("redriveCount").asInt()).isEqualTo(1);
        assertThat(call("GET /v1/executions/{executionId}/history", "GET", "/v1/executions/" + failed
                + "/history?limit=100", 200).json().get("items").findValues("redriveCount"))
                .as("the redriven run's entries").anySatisfy(n -> assertThat(n.asInt()).isEqualTo(1));

        // executions v1
        json("POST /v1/executions", "POST", "/v1/executions", "{\"workflowId\":\"" + workflow + "\",\"sourceSystem\""
                + ":\"s\",\"sourceEntityType\":\"order\",\"requestPayload\":{\"a\":2}}", 200);
        json("POST /v1/executions", "POST", "/v1/executions", "{}", 400);

        // events
        call("POST /v1/events", "POST", "/v1/events", "application/cloudevents+json", "{\"specversion\":\"1.0\","
                + "\"id\":\"c-1\",\"source\":\"/contract\",\"type\":\"t\",\"data\":{\"a\":1}}", Map.of(), 202);
        call("POST /v1/events", "POST", "/v1/events", "application/cloudevents-batch+json", "[{\"specversion\":"
                + "\"1.0\",\"id\":\"c-2\",\"source\":\"/contract\",\"type\":\"t\"}]", Map.of(), 202);
        call("POST /v1/events", "POST", "/v1/events", "application/json", "{\"a\":2}", Map.of("ce-specversion", "1.0",
                "ce-id", "c-3", "ce-source", "/contract", "ce-type", "t"), 202);
        call("POST /v1/events", "POST", "/v1/events", "application/cloudevents+json", "{\"specversion\":\"1.0\"}",
                Map.of(), 400);

        // a listening execution says what it waits for
        String listening = "contract-listen-" + UUID.randomUUID();
        call("PUT /v1/workflows/{workflowId}", "PUT", "/v1/workflows/" + listening, "application/yaml",
                "document: {dsl: '1.0.0', namespace: c, name: l, version: '1.0.0'}\ndo:\n  - l:\n      listen:\n"
                + "        to:\n          one:\n            with: {type: contract.never}\n            correlate:\n"
                + "              k: {from: .data.k, expect: '${ .k }'}\n", Map.of(), 201);
        String listener = call("POST /v1/workflows/{workflowId}/executions", "POST", "/v1/workflows/" + listening
                + "/executions", "application/json", "{\"inputData\":{\"k\":{\"n\":1}}}",
                Map.of("Idempotency-Key", key), 201).json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                call("GET /v1/executions/{executionId}", "GET", "/v1/executions/" + listener, 200).json()
                        .path("waitingFor").path(0).path("correlations").path("k").path("n").asInt()).isEqualTo(1));

        // signals: any UUID is taken (the worker decides what becomes of it); an id that is not one names no execution
        String signals = "POST /v1/executions/{executionId}/signals";
        call(signals, "POST", "/v1/executions/" + running3 + "/signals", "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/contract\",\"type\":\"t\",\"data\":{\"a\":1}}",
                Map.of(), 202);
        call(signals, "POST", "/v1/executions/" + UUID.randomUUID() + "/signals", "application/json", "{\"a\":2}",
                Map.of("ce-specversion", "1.0", "ce-id", "s-2", "ce-source", "/contract", "ce-type", "t"), 202);
        call(signals, "POST", "/v1/executions/" + running3 + "/signals", "application/cloudevents-batch+json",
                "[{\"specversion\":\"1.0\",\"id\":\"s-3\",\"source\":\"/contract\",\"type\":\"t\"}]", Map.of(), 400);
        call(signals, "POST", "/v1/executions/not-a-uuid/signals", "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"s-4\",\"source\":\"/contract\",\"type\":\"t\"}", Map.of(), 404);

        // yandex
        String started = json("POST /workflows/v1/execution/start", "POST", "/workflows/v1/execution/start",
                "{\"workflowId\":\"" + workflow + "\",\"input\":{\"inputJson\":\"{\\\"a\\\":3}\"}}", 200)
                .json().get("executionId").asText();
        json("POST /workflows/v1/execution/start", "POST", "/workflows/v1/execution/start", "{\"workflowId\":1}", 400);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                call("GET /workflows/v1/execution/{executionId}", "GET", "/workflows/v1/execution/" + started, 200)
                        .json().at("/execution/status").asText()).isEqualTo("FINISHED"));
        call("GET /workflows/v1/execution/{executionId}", "GET", "/workflows/v1/execution/" + UUID.randomUUID(), 404);
        call("GET /workflows/v1/execution/{executionId}/history", "GET", "/workflows/v1/execution/" + started
                + "/history", 200);
        call("GET /workflows/v1/execution", "GET", "/workflows/v1/execution?workflowId=" + workflow + "&pageSize=2",
                200);
        String yandexSlow = json("POST /workflows/v1/execution/start", "POST", "/workflows/v1/execution/start",
                "{\"workflowId\":\"" + slow + "\"}", 200).json().get("executionId").asText();
        String yandexSlow2 = json("POST /workflows/v1/execution/start", "POST", "/workflows/v1/execution/start",
                "{\"workflowId\":\"" + slow + "\"}", 200).json().get("executionId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            call("GET /workflows/v1/execution/{executionId}", "GET", "/workflows/v1/execution/" + yandexSlow, 200);
            call("GET /workflows/v1/execution/{executionId}", "GET", "/workflows/v1/execution/" + yandexSlow2, 200);
        });
        call("POST /workflows/v1/execution/{executionId}/stop", "POST", "/workflows/v1/execution/" + yandexSlow
                + "/stop", 200);
        call("POST /workflows/v1/execution/{executionId}/terminate", "POST", "/workflows/v1/execution/" + yandexSlow2
                + "/terminate", 200);
        call("POST /workflows/v1/execution/{executionId}/stop", "POST", "/workflows/v1/execution/" + started
                + "/stop", 409);

        // secrets: write-only, so no answer carries a value
        String secret = "contract-" + UUID.randomUUID();
        String value = "value-" + UUID.randomUUID();
        String put = "PUT /v1/secrets/{name}";
        JsonNode added = json(put, "PUT", "/v1/secrets/" + secret, "{\"value\":\"" + value + "\"}", 201).json();
        assertThat(added.path("name").asText()).isEqualTo(secret);
        assertThat(added.path("updatedAt")).isEqualTo(added.path("createdAt"));
        Call replaced = json(put, "PUT", "/v1/secrets/" + secret, "{\"value\":{\"username\":\"u\",\"password\":\""
                + value + "\"}}", 200);
        assertThat(replaced.json().path("createdAt")).isEqualTo(added.path("createdAt"));
        json(put, "PUT", "/v1/secrets/" + secret + ".b", "{\"value\":[1,2]}", 201);
        json(put, "PUT", "/v1/secrets/" + secret + ".a", "{\"value\":true}", 201);
        Call secrets = call("GET /v1/secrets", "GET", "/v1/secrets", 200);
        assertThat(secrets.json().path("items").findValuesAsText("name")).as("by name")
                .filteredOn(listed -> listed.startsWith(secret)).containsExactly(secret, secret + ".a", secret + ".b");
        assertThat(added.toString() + replaced.body() + secrets.body()).as("never the value").doesNotContain(value);
        assertThat(json(put, "PUT", "/v1/secrets/-" + secret, "{\"value\":\"v\"}", 400).json().path("code").asText())
                .isEqualTo("INVALID_SECRET_NAME");
        assertThat(json(put, "PUT", "/v1/secrets/" + secret, "{\"value\":null}", 400).json().path("code").asText())
                .isEqualTo("INVALID_REQUEST");
        assertThat(json(put, "PUT", "/v1/secrets/" + secret, "{\"value\":\"" + value + "\"", 400).body())
                .as("a malformed body's error does not repeat the value").doesNotContain(value);
        assertThat(json(put, "PUT", "/v1/secrets/" + secret, "{\"value\":\"" + "v".repeat(17_000) + "\"}", 413)
                .json().path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        call("GET /v1/secrets", "GET", "/v1/secrets", null, null, Map.of("X-API-Key", NO_KEY), 401);
        call("DELETE /v1/secrets/{name}", "DELETE", "/v1/secrets/" + secret, 204);
        call("DELETE /v1/secrets/{name}", "DELETE", "/v1/secrets/" + secret + ".a", 204);
        call("DELETE /v1/secrets/{name}", "DELETE", "/v1/secrets/" + secret + ".b", 204);
        assertThat(call("DELETE /v1/secrets/{name}", "DELETE", "/v1/secrets/" + secret, 404).json().path("code")
                .asText()).isEqualTo("SECRET_NOT_FOUND");
        assertThat(call("DELETE /v1/secrets/{name}", "DELETE", "/v1/secrets/-" + secret, 400).json().path("code")
                .asText()).isEqualTo("INVALID_SECRET_NAME");
        assertThat(call("GET /v1/secrets", "GET", "/v1/secrets", 200).json().path("items").findValuesAsText("name"))
                .doesNotContain(secret, secret + ".a", secret + ".b");

        assertThat(exercised).as("every documented operation was called").isEqualTo(documented(document.body()));
        assertThat(implemented()).as("every mapped handler is documented").isEqualTo(documented(document.body()));
    }

    private static Set<String> documented(String document) throws Exception {
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(document).get("paths");
        Set<String> operations = new TreeSet<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!op.getKey().equals("parameters")) {
                operations.add(op.getKey().toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    private static Set<String> implemented() {
        Set<String> operations = new TreeSet<>();
        for (var context : stack.stack.contexts()) {
            context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(mapping ->
                    mapping.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition().getPatterns()
                            .forEach(pattern -> info.getMethodsCondition().getMethods()
                                    .forEach(method -> operations.add(method.name() + " "
                                            + pattern.getPatternString())))));
        }
        return operations;
    }
}
