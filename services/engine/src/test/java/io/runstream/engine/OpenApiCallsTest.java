package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code call: openapi} in the engine: the one activity it dispatches describes the call whole (the document's
 * request with its credentials, the operation, the parameters evaluated, the call's own credentials), and what the
 * runner reports becomes the output as for {@code call: http}, or the spec error its failure amounts to.
 */
class OpenApiCallsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpRequest SENT = new HttpRequest("POST", "http://127.0.0.1:1/api/pets/7?verbose=true",
            Map.of("Authorization", "Bearer ***", "X-Trace", "t1"), null);

    private MachineDriver driver;

    private Outcome run(String tasks, String input, Function<HttpRequest, HttpResponse> runner) throws Exception {
        JsonNode definition = YAML.readTree("""
                document: {dsl: '1.0.0', namespace: t, name: openapi, version: '0.1.0'}
                use:
                  authentications:
                    docs:
                      basic: {username: reader, password: '${ .docPassword }'}
                    api:
                      bearer: {token: '${ .token }'}
                do:
                """ + tasks);
        driver = new MachineDriver(new Machine(Limits.DEFAULT), runner);
        return driver.run(Definition.parse(definition), JSON.readTree(input));
    }

    private static HttpResponse ok(String json) {
        return HttpResponse.of(200, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8))
                .withRequest(SENT);
    }

    private static JsonNode output(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        return ((Outcome.Succeeded) outcome).output();
    }

    @Test
    void shouldDispatchOneActivityDescribingTheWholeCall() throws Exception {
        run("""
                  - getPet:
                      call: openapi
                      with:
                        document:
                          name: pets
                          endpoint:
                            uri: http://127.0.0.1:1/{api}/openapi.json
                            authentication: {use: docs}
                        operationId: '${ .operation }'
                        parameters:
                          petId: '${ .id }'
                          verbose: true
                          body: {name: '${ .name }'}
                        authentication: {use: api}
                """, """
                {"api": "pets v1", "operation": "getPetById", "id": 7, "name": "Rex", "docPassword": "pw",
                 "token": "t0k"}""", request -> ok("{}"));

        assertThat(driver.dispatches).hasSize(1);
        HttpRequest dispatched = driver.dispatches.get(0).request();
        assertThat(dispatched.method()).isEqualTo("GET");
        assertThat(dispatched.uri()).isEqualTo("http://127.0.0.1:1/pets%20v1/openapi.json");
        assertThat(dispatched.headers()).containsExactly(Map.entry("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString("reader:pw".getBytes(StandardCharsets.UTF_8))));
        assertThat(dispatched.body()).isNull();
        assertThat(dispatched.openApi()).isEqualTo(new OpenApiOperation("getPetById",
                JSON.readTree("{\"petId\":7,\"verbose\":true,\"body\":{\"name\":\"Rex\"}}"), "Bearer t0k"));
    }

    @Test
    void shouldDispatchNoCredentialsWhenNoneAreGiven() throws Exception {
        run("""
                  - list:
                      call: openapi
                      with:
                        document:
                          endpoint: '${ "http://127.0.0.1:1/" + .doc }'
                        operationId: listPets
                """, "{\"doc\": \"swagger.yaml\"}", request -> ok("[]"));

        HttpRequest dispatched = driver.dispatches.get(0).request();
        assertThat(dispatched.uri()).isEqualTo("http://127.0.0.1:1/swagger.yaml");
        assertThat(dispatched.headers()).isEmpty();
        assertThat(dispatched.openApi()).isEqualTo(new OpenApiOperation("listPets", JSON.createObjectNode(), null));
    }

    @Test
    void shouldGiveTheContentOrTheResponseWithTheRequestTheRunnerBuilt() throws Exception {
        Outcome content = run("""
                  - getPet:
                      call: openapi
                      with:
                        document: {endpoint: 'http://127.0.0.1:1/openapi.json'}
                        operationId: getPetById
                """, "{}", request -> ok("{\"id\":7}"));
        assertThat(output(content)).isEqualTo(JSON.readTree("{\"id\":7}"));

        Outcome response = run("""
                  - getPet:
                      call: openapi
                      with:
                        document: {endpoint: 'http://127.0.0.1:1/openapi.json'}
                        operationId: getPetById
                        output: response
                """, "{}", request -> ok("{\"id\":7}"));
        JsonNode echoed = output(response);
        assertThat(echoed.path("statusCode").asInt()).isEqualTo(200);
        assertThat(echoed.path("content")).isEqualTo(JSON.readTree("{\"id\":7}"));
        assertThat(echoed.path("request")).isEqualTo(JSON.readTree("""
                {"method": "post", "uri": "http://127.0.0.1:1/api/pets/7?verbose=true",
                 "headers": {"Authorization": "Bearer ***", "X-Trace": "t1"}}"""));
    }

    @Test
    void shouldRaiseEachFailureAsACatchableSpecErrorWithItsStatus() throws Exception {
        Map<HttpResponse, String> expected = Map.of(
                HttpResponse.failed(HttpResponse.Failure.DOCUMENT_UNAVAILABLE, "GET /openapi.json answered 404", 404),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/communication\",\"status\":404,"
                        + "\"title\":\"OpenAPI document unavailable\"}",
                HttpResponse.failed(HttpResponse.Failure.DOCUMENT_INVALID, "not OpenAPI"),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/configuration\",\"status\":400,"
                        + "\"title\":\"Invalid OpenAPI document\"}",
                HttpResponse.failed(HttpResponse.Failure.OPERATION_NOT_FOUND, "no operation 'nope'"),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/configuration\",\"status\":400,"
                        + "\"title\":\"Unknown OpenAPI operation\"}",
                HttpResponse.failed(HttpResponse.Failure.PARAMETER_MISSING, "path parameter 'petId'"),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/validation\",\"status\":400,"
                        + "\"title\":\"Missing OpenAPI parameter\"}",
                HttpResponse.failed(HttpResponse.Failure.TIMED_OUT, "no response").withRequest(SENT),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/communication\",\"status\":504,"
                        + "\"title\":\"HTTP call timed out\"}",
                HttpResponse.of(500, Map.of(), new byte[0]).withRequest(SENT),
                "{\"type\":\"https://serverlessworkflow.io/spec/1.0.0/errors/communication\",\"status\":500,"
                        + "\"title\":\"HTTP 500\"}");
        for (Map.Entry<HttpResponse, String> failure : expected.entrySet()) {
            Outcome outcome = run("""
                      - guarded:
                          try:
                            - getPet:
                                call: openapi
                                with:
                                  document: {endpoint: 'http://127.0.0.1:1/openapi.json'}
                                  operationId: getPetById
                          catch:
                            as: e
                            do:
                              - keep:
                                  set: '${ $e | {type, status, title} }'
                    """, "{}", request -> failure.getKey());

            assertThat(output(outcome)).as(failure.getValue()).isEqualTo(JSON.readTree(failure.getValue()));
        }
    }

    @Test
    void shouldNameTheRequestTheRunnerBuiltInACommunicationError() throws Exception {
        Outcome outcome = run("""
                  - getPet:
                      call: openapi
                      with:
                        document: {endpoint: 'http://127.0.0.1:1/openapi.json'}
                        operationId: getPetById
                """, "{}", request -> HttpResponse.of(404, Map.of(), new byte[0]).withRequest(SENT));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> assertThat(failed.error()
                .detail()).isEqualTo("POST http://127.0.0.1:1/api/pets/7?verbose=true answered 404"));
    }

    @Test
    void shouldFailWhenParametersAreNotAnObject() throws Exception {
        Outcome outcome = run("""
                  - getPet:
                      call: openapi
                      with:
                        document: {endpoint: 'http://127.0.0.1:1/openapi.json'}
                        operationId: getPetById
                        parameters: '${ .ids }'
                """, "{\"ids\": [1, 2]}", request -> ok("{}"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.error().instance()).isEqualTo("/do/0/getPet/with/parameters");
            assertThat(failed.error().detail()).isEqualTo("parameters must be an object, not array");
        });
        assertThat(driver.dispatches).isEmpty();
    }
}
