package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests over every operation of the served OpenAPI document and every dialect
 * ({@link FuzzCases}), through the API URL: none may answer a 5xx other than a documented 503, no body may carry a
 * Java class name or a stack trace, every error body says what was wrong, and a normal execution started afterwards
 * succeeds.
 */
class FuzzIT {

    private static final TestStack stack = TestStack.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DOCUMENTED_503 = Set.of("DATABASE_UNAVAILABLE", "PUBLISH_DEFERRED",
            "PUBLISH_FAILED", "SERVICE_UNAVAILABLE");
    /** A qualified Java name (java.lang.String, io.runstream.x.Y$Z) or a stack frame. */
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "\\b(java|javax|jakarta|reactor|tools\\.jackson|com\\.fasterxml|org\\.springframework|org\\.apache|"
                    + "io\\.runstream|io\\.serverlessworkflow|io\\.netty|net\\.thisptr|org\\.yaml)\\.[a-z]"
                    + "|\\b[A-Z][A-Za-z0-9]+\\$[A-Z][A-Za-z0-9]+\\b|\\n\\s*at [\\w.$]+\\(|Caused by:"
                    + "|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerEveryMalformedRequestWithAClearErrorAndGoOnWorking() throws Exception {
        String workflow = "fuzz-target";
        String document = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<FuzzCases.Case> cases = new FuzzCases(workflow).from(document);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(1_000);

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int refusedByClient = 0;
        long operations = cases.stream().map(FuzzCases.Case::operation).distinct().count();
        for (FuzzCases.Case c : cases) {
            HttpRequest request;
            try {
                request = build(c);
            } catch (IllegalArgumentException notSendable) {
                // a header value no HTTP client sends (a character over U+00FF): nothing reaches the server
                refusedByClient++;
                continue;
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException noAnswer) {
                byStatus.merge(0, 1, Integer::sum);
                failures.add(c.operation() + " [" + c.what() + "] " + c.method() + " " + shorten(c.pathAndQuery())
                        + " -> no answer: " + noAnswer);
                continue;
            }
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            String problem = problem(response);
            if (problem != null) {
                failures.add(c.operation() + " [" + c.what() + "] " + c.method() + " " + shorten(c.pathAndQuery())
                        + " -> " + response.statusCode() + ": " + problem + " :: " + shorten(response.body()));
            }
        }

        String executionStatus = normalExecutionAfterwards(workflow);
        int sent = cases.size() - refusedByClient;
        System.out.println("fuzz: " + sent + " requests over " + operations + " operations, by status " + byStatus
                + ", " + refusedByClient + " not sendable by an HTTP client, " + failures.size()
                + " failures; a normal execution afterwards " + executionStatus);
        failures.forEach(System.out::println);
        assertThat(failures).as("requests answered badly").isEmpty();
        assertThat(executionStatus).isEqualTo("SUCCEEDED");
    }

    private HttpRequest build(FuzzCases.Case c) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stack.baseUrl + c.pathAndQuery()))
                .timeout(Duration.ofSeconds(30))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()))
                .header("X-API-Key", TestStack.KEY);
        c.headers().forEach(builder::header);
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        return builder.build();
    }

    /** What is wrong with the answer, or null. */
    private static String problem(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        if (JAVA_INTERNALS.matcher(body).find()) {
            return "Java internals in the body";
        }
        if (status < 400 || response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return null;
        }
        JsonNode error;
        try {
            error = JSON.readTree(body);
        } catch (Exception notJson) {
            return "an error body that is not JSON";
        }
        if (error == null || !error.path("message").isTextual() || error.path("message").asText().isBlank()) {
            return "an error body without a message";
        }
        if (status >= 500) {
            String code = error.path("code").isTextual() ? error.path("code").asText()
                    : error.path("errorCode").isTextual() ? error.path("errorCode").asText()
                    : error.path("details").path(0).path("errorCode").asText();
            if (status != 503 || !DOCUMENTED_503.contains(code)) {
                return "a 5xx that is not a documented 503";
            }
        }
        return null;
    }

    private String normalExecutionAfterwards(String workflow) throws Exception {
        String definition = "document: {dsl: '1.0.0', namespace: fuzz, name: after, version: '0.1.0'}\n"
                + "do:\n  - echo:\n      set: {done: true}\n";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl
                        + "/v1/workflows/" + workflow + "-after")).header("X-API-Key", TestStack.KEY)
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(definition))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl
                        + "/v1/workflows/" + workflow + "-after/executions")).header("X-API-Key", TestStack.KEY)
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputData\":{\"x\":1}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = JSON.readTree(started.body()).path("executionId").asText();
        String[] status = new String[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> view = http.send(HttpRequest.newBuilder(URI.create(stack.baseUrl
                    + "/v1/executions/" + id + "?waitForTerminalSeconds=5")).header("X-API-Key", TestStack.KEY)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            status[0] = JSON.readTree(view.body()).path("status").asText();
            assertThat(status[0]).isIn("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
        });
        return status[0];
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "...(" + oneLine.length() + ")" : oneLine;
    }
}
