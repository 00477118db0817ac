package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.OpenApiOperation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@code call: openapi} on the runner, with a callee in memory: the document is read through the runner's calls
 * and kept per tenant, URL and credentials for its time to live (one read for many calls, and for calls that come
 * while it is being read), what could not be read is read again next time, and the call that follows goes through
 * {@link ActivityRunner#perform} with the request the operation describes.
 */
class OpenApiRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = "http://127.0.0.1:9000/docs/petstore.json";
    private static final String PETSTORE = """
            {"swagger": "2.0", "info": {"title": "pets", "version": "1"}, "basePath": "/v2",
             "paths": {"/pets/{petId}": {"get": {"operationId": "getPetById", "produces": ["application/json"],
               "parameters": [{"name": "petId", "in": "path", "required": true, "type": "integer"}],
               "responses": {"200": {"description": "the pet"}}}}}}""";

    /** A callee in memory: the document, a pet, and every request it got. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<HttpCaller.HttpCall> received = new CopyOnWriteArrayList<>();
    private volatile String document = PETSTORE;
    private volatile int documentStatus = 200;
    private volatile Mono<HttpCaller.HttpResult> documentDelay = Mono.empty();
    private final AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final HttpCaller callee = call -> {
        received.add(call);
        String path = call.uri().getPath();
        calls.computeIfAbsent(call.uri().toString(), u -> new AtomicInteger()).incrementAndGet();
        if (path.startsWith("/docs/")) {
            return documentDelay.then(Mono.fromSupplier(() -> result(documentStatus, document)));
        }
        if (path.equals("/v2/pets/7")) {
            return Mono.just(result(200, "{\"id\":7,\"name\":\"Rex\"}"));
        }
        return Mono.just(result(404, "{}"));
    };
    private final OpenApiRunner runner = new OpenApiRunner(new ActivityRunner(callee, 1 << 20), Duration.ofMinutes(5),
            2, clock);

    private static HttpCaller.HttpResult result(int status, String body) {
        return new HttpCaller.HttpResult(status, Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse call(String tenant, String uri, Map<String, String> headers, String parameters) {
        try {
            return runner.perform(new HttpRequest("GET", uri, headers, null, new OpenApiOperation(
                    "getPetById", JSON.readTree(parameters), "Bearer t0k")), tenant, "e1", "e1/1",
                    Duration.ofSeconds(5))
                    .block(Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse call() {
        return call("acme", DOCUMENT, Map.of(), "{\"petId\": 7}");
    }

    private int fetches(String uri) {
        return calls.getOrDefault(uri, new AtomicInteger()).get();
    }

    @Test
    void shouldMakeTheRequestTheOperationDescribesAndShowItWithItsCredentialHidden() {
        HttpResponse response = call();

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7,\"name\":\"Rex\"}");
        assertThat(response.request()).isEqualTo(new HttpRequest("GET", "http://127.0.0.1:9000/v2/pets/7",
                Map.of("Authorization", "Bearer ***"), null));
        HttpCaller.HttpCall sent = received.get(received.size() - 1);
        assertThat(sent.headers()).containsEntry("Authorization", "Bearer t0k")
                .containsEntry(ActivityRunner.IDEMPOTENCY_KEY, "e1/1");
    }

    @Test
    void shouldReadTheDocumentOnceForManyCallsOfATenantWithTheSameCredentials() {
        for (int i = 0; i < 5; i++) {
            assertThat(call().status()).isEqualTo(200);
        }
        call("acme", DOCUMENT, Map.of("Authorization", "Basic YTpi"), "{\"petId\": 7}");
        call("acme", DOCUMENT, Map.of("Authorization", "Basic YTpi"), "{\"petId\": 7}");
        call("other", DOCUMENT, Map.of(), "{\"petId\": 7}");

        assertThat(fetches(DOCUMENT)).as("one read per tenant and credentials").isEqualTo(3);
        assertThat(fetches("http://127.0.0.1:9000/v2/pets/7")).isEqualTo(8);
    }

    @Test
    void shouldReadTheDocumentOnceForCallsThatComeWhileItIsBeingRead() {
        Sinks.Empty<Void> gate = Sinks.empty();
        documentDelay = gate.asMono().then(Mono.empty());
        List<Mono<HttpResponse>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(runner.perform(new HttpRequest("GET", DOCUMENT, Map.of(), null,
                    new OpenApiOperation("getPetById", JSON.createObjectNode().put("petId", 7), null)), "acme", "e1",
                    "e1/" + i, Duration.ofSeconds(5)).cache());
            waiting.get(i).subscribe();
        }
        gate.tryEmitEmpty();

        waiting.forEach(call -> assertThat(call.block(Duration.ofSeconds(10)).status()).isEqualTo(200));
        assertThat(fetches(DOCUMENT)).isEqualTo(1);
    }

    @Test
    void shouldReadTheDocumentAgainAfterItsTimeToLive() {
        call();
        now.addAndGet(Duration.ofMinutes(5).toMillis() - 1);
        call();
        assertThat(fetches(DOCUMENT)).isEqualTo(1);

        now.addAndGet(1);
        call();
        assertThat(fetches(DOCUMENT)).isEqualTo(2);
    }

    @Test
    void shouldKeepAtMostSoManyDocumentsTheLeastRecentlyUsedGoingFirst() {
        call("acme", DOCUMENT, Map.of(), "{\"petId\": 7}");
        call("acme", DOCUMENT + "?b", Map.of(), "{\"petId\": 7}");
        call("acme", DOCUMENT, Map.of(), "{\"petId\": 7}");
        call("acme", DOCUMENT + "?c", Map.of(), "{\"petId\": 7}");
        call("acme", DOCUMENT, Map.of(), "{\"petId\": 7}");
        assertThat(fetches(DOCUMENT)).as("used last, kept").isEqualTo(1);

        call("acme", DOCUMENT + "?b", Map.of(), "{\"petId\": 7}");
        assertThat(fetches(DOCUMENT + "?b")).as("least recently used, gone").isEqualTo(2);
    }

    @Test
    void shouldReportADocumentThatCannotBeReadAndReadItAgainNextTime() {
        documentStatus = 404;
        HttpResponse missing = call();
        assertThat(missing.failure()).isEqualTo(HttpResponse.Failure.DOCUMENT_UNAVAILABLE);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.message()).isEqualTo("GET " + DOCUMENT + " answered 404");

        documentStatus = 200;
        document = "<html>not a document</html>";
        HttpResponse invalid = call();
        assertThat(invalid.failure()).isEqualTo(HttpResponse.Failure.DOCUMENT_INVALID);
        assertThat(invalid.message()).startsWith(DOCUMENT + " is not an OpenAPI 3 or Swagger 2 document");

        document = PETSTORE;
        assertThat(call().status()).isEqualTo(200);
        assertThat(fetches(DOCUMENT)).isEqualTo(3);
    }

    @Test
    void shouldReportAnOperationOrAParameterMissingWithoutCallingTheApi() {
        HttpResponse missing = call("acme", DOCUMENT, Map.of(), "{\"id\": 7}");
        assertThat(missing.failure()).isEqualTo(HttpResponse.Failure.PARAMETER_MISSING);
        assertThat(missing.message()).contains("the path parameter 'petId'");
        assertThat(received).extracting(c -> c.uri().getPath()).containsExactly("/docs/petstore.json");
    }

    @Test
    void shouldFillTheSecretsTheDocumentAndTheCallNameWhereTheyAreSentAndShowNone() {
        List<String> keys = List.of("k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        io.runstream.api.secrets.SecretCipher cipher = io.runstream.api.secrets.SecretCipher.of(keys);
        Map<String, io.runstream.api.secrets.SecretCipher.Sealed> kept = Map.of(
                "acme/docs", cipher.seal("acme", "docs", "{\"username\":\"reader\",\"password\":\"pw\"}"
                        .getBytes(StandardCharsets.UTF_8)),
                "acme/api", cipher.seal("acme", "api", "{\"token\":\"t0k-secret\",\"pet\":\"7\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        SecretTokens tokens = SecretTokens.of(keys);
        OpenApiRunner secretive = new OpenApiRunner(new ActivityRunner(callee, 1 << 20, new SecretFill(
                (tenant, name) -> Mono.justOrEmpty(kept.get(tenant + "/" + name)), cipher, tokens),
                Duration.ofSeconds(5)), Duration.ofMinutes(5), 2, clock);
        java.util.function.Function<String, HttpResponse> call = execution -> {
            String documentCredential = "rsbasic_" + java.util.HexFormat.of().formatHex((tokens.token(execution,
                    new io.runstream.engine.SecretReference("docs", List.of("username"))) + ":" + tokens.token(
                    execution, new io.runstream.engine.SecretReference("docs", List.of("password"))))
                    .getBytes(StandardCharsets.UTF_8));
            String pet = tokens.token(execution, new io.runstream.engine.SecretReference("api", List.of("pet")));
            String token = tokens.token(execution, new io.runstream.engine.SecretReference("api", List.of("token")));
            return secretive.perform(new HttpRequest("GET", DOCUMENT, Map.of("Authorization", documentCredential),
                    null, new OpenApiOperation("getPetById", JSON.createObjectNode().put("petId", pet),
                    "Bearer " + token)), "acme", execution, execution + "/1", Duration.ofSeconds(5))
                    .block(Duration.ofSeconds(10));
        };

        HttpResponse response = call.apply("e1");
        call.apply("e1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(received).filteredOn(c -> c.uri().getPath().startsWith("/docs/")).singleElement()
                .satisfies(c -> assertThat(c.headers()).containsEntry("Authorization", "Basic "
                        + java.util.Base64.getEncoder().encodeToString("reader:pw".getBytes(StandardCharsets.UTF_8))));
        HttpCaller.HttpCall sent = received.get(received.size() - 1);
        assertThat(sent.uri().getPath()).isEqualTo("/v2/pets/7");
        assertThat(sent.headers()).containsEntry("Authorization", "Bearer t0k-secret");
        assertThat(response.request()).isEqualTo(new HttpRequest("GET", "http://127.0.0.1:9000/v2/pets/***",
                Map.of("Authorization", "Bearer ***"), null));

        call.apply("e2");
        assertThat(fetches(DOCUMENT)).as("read once per execution: its references to secrets are its own")
                .isEqualTo(2);
    }

    @Test
    void shouldEndTheCallAtItsDeadlineWhenTheDocumentDoesNotCome() {
        documentDelay = Mono.never();

        HttpResponse response = runner.perform(new HttpRequest("GET", DOCUMENT, Map.of(), null,
                new OpenApiOperation("getPetById", JSON.createObjectNode().put("petId", 7), null)), "acme", "e1",
                "e1/1", Duration.ofMillis(200)).block(Duration.ofSeconds(10));

        assertThat(response.failure()).isEqualTo(HttpResponse.Failure.TIMED_OUT);
        assertThat(response.request().uri()).isEqualTo(DOCUMENT);
    }
}
