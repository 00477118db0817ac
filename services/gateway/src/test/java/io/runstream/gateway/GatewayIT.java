package io.runstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Ports;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The edge on its own: routes by path, answers only the methods the API has, passes answers through, and speaks the
 * error model of the request's dialect for its own; the ingress is a closed port here, the projection a stub.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=gateway")
@AutoConfigureWebTestClient
class GatewayIT {

    private static final HttpStub projection = new HttpStub();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry props) {
        int closed = Ports.free();
        props.add("runstream.gateway.ingress-uri", () -> "http://127.0.0.1:" + closed);
        props.add("runstream.gateway.projection-uri", projection::baseUrl);
    }

    @AfterAll
    static void stop() {
        projection.close();
    }

    @Autowired
    WebTestClient web;

    @LocalServerPort
    int port;

    @Test
    void shouldPassAServicesAnswerThroughUnchanged() {
        web.get().uri("/v1/executions/42").header("X-API-Key", "k").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("no such path");
    }

    @Test
    void shouldAnswer503WhenAServiceCannotBeReached() {
        web.get().uri("/v1/workflows/demo").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE")
                .jsonPath("$.title").isEqualTo("Service Unavailable");
    }

    @Test
    void shouldAnswer503InEachDialectsErrorModelWhenAServiceCannotBeReached() {
        web.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"workflowId\":\"demo\"}").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo(14) // gRPC UNAVAILABLE
                .jsonPath("$.details[0].errorCode").isEqualTo("SERVICE_UNAVAILABLE")
                .jsonPath("$.message").isNotEmpty();
        web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "r-503").bodyValue("{\"workflowId\":\"demo\"}").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody().jsonPath("$.code").isEqualTo(503)
                .jsonPath("$.errorCode").isEqualTo("SERVICE_UNAVAILABLE")
                .jsonPath("$.requestId").isEqualTo("r-503")
                .jsonPath("$.data").doesNotExist();
    }

    @Test
    void shouldAnswer405WithAllowAndTheDialectsErrorBodyForAMethodThePathDoesNotHave() {
        String id = UUID.randomUUID().toString();
        for (String method : new String[] {"FOO", "PROPFIND", "TRACE", "OPTIONS", "DELETE", "POST", "PUT"}) {
            web.method(HttpMethod.valueOf(method)).uri("/v1/executions/" + id).exchange()
                    .expectStatus().isEqualTo(405)
                    .expectHeader().valueEquals("Allow", "GET, HEAD")
                    .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED")
                    .jsonPath("$.title").isEqualTo("Method Not Allowed")
                    .jsonPath("$.message").isEqualTo("Method " + method + " is not allowed at /v1/executions/" + id
                            + "; allowed: GET, HEAD");
        }
        assertThat(projection.calls("/v1/executions/" + id)).as("nothing reached the service").isZero();
        web.method(HttpMethod.PUT).uri("/v1/executions").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET, HEAD, POST");
        web.method(HttpMethod.DELETE).uri("/workflows/v1/execution/" + id).exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET, HEAD")
                .expectBody().jsonPath("$.details[0].errorCode").isEqualTo("METHOD_NOT_ALLOWED")
                .jsonPath("$.message").isEqualTo("Method DELETE is not allowed at /workflows/v1/execution/" + id
                        + "; allowed: GET, HEAD");
        web.method(HttpMethod.GET).uri("/v1/executions/" + id + "/stop").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST");
        web.method(HttpMethod.POST).uri("/console/").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "GET, HEAD");
        web.head().uri("/v1/executions/" + id).exchange().expectStatus().isNotFound(); // passed to the service
    }

    @Test
    void shouldAddNoMetricSeriesPerUnknownMethod() {
        Scrape before = scrape();
        Random random = new Random();
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            StringBuilder method = new StringBuilder("X");
            random.ints(8, 'A', 'Z' + 1).forEach(c -> method.append((char) c));
            methods.add(method.toString());
        }
        List<Integer> statuses = new ArrayList<>();
        for (String method : methods) {
            for (String path : new String[] {"/v1/executions/" + UUID.randomUUID(), "/v1/workflows/demo"}) {
                statuses.add(web.method(HttpMethod.valueOf(method)).uri(path).exchange()
                        .returnResult(Void.class).getStatus().value());
            }
        }
        Scrape after = scrape();
        String[] http = {"http_", "spring_cloud_gateway_"};
        assertThat(after.named(http).size() - before.named(http).size())
                .as("new HTTP series for 60 requests with 30 unknown methods").isLessThanOrEqualTo(10);
        assertThat(after.series()).noneMatch(line -> methods.stream().anyMatch(line::contains));
        assertThat(statuses).containsOnly(405);
    }

    @Test
    void shouldRefuseAWebSocketUpgradeAndTrackNoCallForIt() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            RawHttp.Reply reply = client.send("GET /v1/executions/" + UUID.randomUUID() + "/events HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").reply();
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body()).contains("\"code\":\"UPGRADE_NOT_SUPPORTED\"");
        }
        await().untilAsserted(() -> assertThat(scrape().sum("http_client_requests_active_seconds_count"))
                .as("calls to a service in flight").isZero());
    }

    @Test
    void shouldBeHealthyWithoutKafkaOrARegistryItDoesNotUse() {
        // the test classpath has Kafka's classes, as the dev stack's shared classpath does; the gateway has no
        // Kafka or registry settings and needs neither
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void shouldRouteEveryExecutionCommandToTheIngress() {
        for (String command : new String[] {"stop", "pause", "resume", "redrive"}) {
            String path = "/v1/executions/" + UUID.randomUUID() + "/" + command;
            web.post().uri(path + "?waitSeconds=1").header("X-API-Key", "k").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(projection.calls(path)).as("%s reaches the ingress, not the projection", command).isZero();
        }
    }

    @Test
    void shouldRouteSignalsToTheIngressAndLeaveTheEventStreamWithTheProjection() {
        String execution = "/v1/executions/" + UUID.randomUUID();
        web.post().uri(execution + "/signals").header("X-API-Key", "k")
                .contentType(MediaType.parseMediaType("application/cloudevents+json"))
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(projection.calls(execution + "/signals")).as("signals reach the ingress, not the projection")
                .isZero();

        web.get().uri(execution + "/events").header("X-API-Key", "k").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("no such path");
        assertThat(projection.calls(execution + "/events")).as("the event stream is the projection's").isOne();
    }

    @Test
    void shouldRouteSecretsToTheIngressAndAnswer405ForAMethodTheyDoNotHave() {
        String secret = "/v1/secrets/token-" + UUID.randomUUID();
        web.put().uri(secret).header("X-API-Key", "k").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\":\"v\"}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
        web.delete().uri(secret).header("X-API-Key", "k").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
        web.get().uri("/v1/secrets").header("X-API-Key", "k").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(projection.calls(secret) + projection.calls("/v1/secrets"))
                .as("secrets reach the ingress, not the projection").isZero();

        web.get().uri(secret).header("X-API-Key", "k").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "DELETE, PUT");
    }

    @Test
    void shouldAnswer404ForAPathNoRouteServes() {
        web.get().uri("/admin").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND")
                .jsonPath("$.message").isEqualTo("No API at GET /admin");
        web.method(HttpMethod.valueOf("PROPFIND")).uri("/v1/workflows/demo/versions/1/extra").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").isEqualTo("No API at PROPFIND /v1/workflows/demo/versions/1/extra");
    }

    private Scrape scrape() {
        return Scrape.of(web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void shouldServeTheConsoleWithoutAKeyUnderAStrictPolicy() {
        web.get().uri("/console").exchange()
                .expectStatus().isPermanentRedirect()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/console/"));
        web.get().uri("/console/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/html")
                .expectHeader().valueEquals("Content-Security-Policy", ConsoleRoutes.POLICY)
                .expectBody(String.class).value(page -> assertThat(page).contains("<script type=\"module\" src=\"js/app.js\">"));
        web.get().uri("/console/js/app.js").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
        web.get().uri("/console/js/nothing.js").exchange().expectStatus().isNotFound();
    }
}
