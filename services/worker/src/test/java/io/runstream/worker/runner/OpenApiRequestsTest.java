package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.OpenApiOperation;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request an operation describes, built from documents as swagger-parser reads them: OpenAPI 3 and Swagger 2
 * (converted), JSON and YAML, with every kind of parameter, body and server the runner handles.
 */
class OpenApiRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI LOCATION = URI.create("http://127.0.0.1:9000/docs/v1/api.json");

    private static OpenAPI parse(String text) {
        OpenAPI api = OpenApiDocuments.parse(text).getOpenAPI();
        assertThat(api).as("parsed").isNotNull();
        return api;
    }

    private static OpenAPI resource(String name) throws IOException {
        try (InputStream in = OpenApiRequestsTest.class.getResourceAsStream("/httpstub/" + name)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@base@",
                    "http://127.0.0.1:9000"));
        }
    }

    private static HttpRequest build(OpenAPI api, String operationId, String parameters) throws IOException {
        return OpenApiRequests.build(api, LOCATION, new OpenApiOperation(operationId, JSON.readTree(parameters),
                null));
    }

    private static String body(HttpRequest request) {
        return new String(request.body(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldBuildTheRequestOfAnOpenApi3OperationWithItsPathQueryHeaderAndBody() throws IOException {
        HttpRequest request = OpenApiRequests.build(resource("orders-openapi.json"), LOCATION, new OpenApiOperation(
                "sendOrder", JSON.readTree("{\"page\": 2, \"q\": \"a b&c\", \"X-Token\": \"abc\", "
                        + "\"body\": {\"amount\": 12}, \"undeclared\": 1}"), "Bearer t0k"));

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("http://127.0.0.1:9000/echo?page=2&q=a%20b%26c");
        assertThat(request.headers()).containsExactly(Map.entry("X-Token", "abc"),
                Map.entry("Content-Type", "application/json"), Map.entry("Accept", "application/json"),
                Map.entry("Authorization", "Bearer t0k"));
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"amount\": 12}"));
        assertThat(request.openApi()).isNull();
    }

    @Test
    void shouldPercentEncodePathParameters() throws IOException {
        HttpRequest request = build(resource("orders-openapi.json"), "getOrder", "{\"orderId\": \"a b/c?d\"}");

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("http://127.0.0.1:9000/orders/a%20b%2Fc%3Fd");
        assertThat(request.body()).isNull();
    }

    @Test
    void shouldSendASwagger2BodyParameterByItsNameOnTheDocumentsOwnServer() throws IOException {
        HttpRequest request = build(resource("orders-swagger.yaml"), "sendOrder",
                "{\"X-Token\": \"abc\", \"order\": {\"amount\": 3, \"currency\": \"EUR\"}}");

        assertThat(request.uri()).isEqualTo("http://127.0.0.1:9000/echo");
        assertThat(request.headers()).containsEntry("Content-Type", "application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"amount\":3,\"currency\":\"EUR\"}"));
    }

    @Test
    void shouldRepeatAMultiQueryParameterOfAConvertedSwagger2Document() throws IOException {
        HttpRequest request = build(resource("petstore.json"), "findPetsByStatus",
                "{\"status\": [\"available\", \"sold\"]}");

        assertThat(request.uri()).isEqualTo("http://127.0.0.1:9000/pets/findByStatus?status=available&status=sold");
        assertThat(request.headers()).containsEntry("Accept", "application/json");
    }

    @Test
    void shouldRefuseARequiredParameterOrBodyLeftOut() throws IOException {
        OpenAPI orders = resource("orders-openapi.json");

        assertThatThrownBy(() -> build(orders, "getOrder", "{\"orderid\": 1}"))
                .isInstanceOfSatisfying(OpenApiException.class, e -> assertThat(e.response().failure())
                        .isEqualTo(HttpResponse.Failure.PARAMETER_MISSING))
                .hasMessage("the operation 'getOrder' requires the path parameter 'orderId', which the call's "
                        + "parameters leave out");
        assertThatThrownBy(() -> build(orders, "sendOrder", "{\"body\": {}}"))
                .hasMessageContaining("requires the header parameter 'X-Token'");
        assertThatThrownBy(() -> build(orders, "sendOrder", "{\"X-Token\": \"abc\", \"body\": null}"))
                .hasMessageContaining("requires a request body (the parameter 'body')");
        assertThatThrownBy(() -> build(resource("orders-swagger.yaml"), "sendOrder", "{\"X-Token\": \"abc\"}"))
                .hasMessageContaining("requires a request body (the parameter 'order')");
    }

    @Test
    void shouldRefuseAnOperationTheDocumentLacks() throws IOException {
        assertThatThrownBy(() -> build(resource("petstore.json"), "deletePet", "{}"))
                .isInstanceOfSatisfying(OpenApiException.class, e -> assertThat(e.response().failure())
                        .isEqualTo(HttpResponse.Failure.OPERATION_NOT_FOUND))
                .hasMessage("the OpenAPI document " + LOCATION + " has no operation 'deletePet'");
    }

    @Test
    void shouldResolveARelativeServerAgainstTheDocumentAndFillItsVariables() throws IOException {
        OpenAPI api = parse("""
                openapi: 3.0.3
                info: {title: t, version: '1'}
                servers:
                  - url: '{base}/api/'
                    variables:
                      base: {default: v2}
                paths:
                  /items:
                    get:
                      operationId: list
                      responses: {'200': {description: ok}}
                    servers:
                      - url: /items-api
                """);

        assertThat(build(api, "list", "{}").uri()).isEqualTo("http://127.0.0.1:9000/items-api/items");
        api.getPaths().get("/items").setServers(null);
        assertThat(build(api, "list", "{}").uri()).isEqualTo("http://127.0.0.1:9000/docs/v1/v2/api/items");
        api.setServers(null);
        assertThat(build(api, "list", "{}").uri()).isEqualTo("http://127.0.0.1:9000/items");
    }

    @Test
    void shouldRefuseAServerThatIsNotHttp() {
        OpenAPI api = parse("""
                openapi: 3.0.3
                info: {title: t, version: '1'}
                servers: [{url: 'file:///etc'}]
                paths:
                  /passwd:
                    get: {operationId: read, responses: {'200': {description: ok}}}
                """);

        assertThatThrownBy(() -> build(api, "read", "{}"))
                .isInstanceOfSatisfying(OpenApiException.class, e -> assertThat(e.response().failure())
                        .isEqualTo(HttpResponse.Failure.DOCUMENT_INVALID))
                .hasMessageContaining("is not an http(s) URL");
    }

    @Test
    void shouldSendFormFieldsCookiesAndJoinedArraysAsTheOperationDeclaresThem() throws IOException {
        OpenAPI api = parse("""
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths:
                  /pets/{ids}:
                    parameters:
                      - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
                    post:
                      operationId: tag
                      parameters:
                        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
                        - {name: session, in: cookie, schema: {type: string}}
                        - {name: Accept, in: header, schema: {type: string}}
                      requestBody:
                        content:
                          application/x-www-form-urlencoded:
                            schema: {$ref: '#/components/schemas/Tagging'}
                      responses: {'204': {description: tagged}}
                components:
                  schemas:
                    Tagging:
                      type: object
                      required: [reason]
                      properties:
                        reason: {type: string}
                        by: {type: string}
                """);

        HttpRequest request = build(api, "tag", "{\"ids\": [1, 2], \"tags\": [\"a\", \"b c\"], \"session\": \"s1\", "
                + "\"Accept\": \"text/html\", \"reason\": \"lost & found\", \"by\": \"me\"}");

        assertThat(request.uri()).isEqualTo("http://127.0.0.1:9000/pets/1%2C2?tags=a%2Cb%20c");
        assertThat(request.headers()).containsExactly(Map.entry("Cookie", "session=s1"),
                Map.entry("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(body(request)).isEqualTo("reason=lost+%26+found&by=me");
        assertThatThrownBy(() -> build(api, "tag", "{\"ids\": [1], \"by\": \"me\"}"))
                .hasMessageContaining("requires the form field 'reason'");
        assertThat(build(api, "tag", "{\"ids\": [1]}").body()).isNull();
    }
}
