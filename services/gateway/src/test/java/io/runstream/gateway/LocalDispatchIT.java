package io.runstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.api.dialect.ApiFailure;
import io.runstream.api.dialect.DialectErrorHandler;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Ports;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The edge with the ingress in its own JVM, as in the dev stack: requests for the ingress are handed to its handler
 * in-process (its port here is closed, so a proxied request would get 503), the projection's still go over HTTP to a
 * stub, what the API does not have is still refused by the gateway, a stalled body still gets 408, and the table
 * the dispatch reads agrees with the gateway's own routing for every operation of the API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway", "runstream.gateway.read-timeout=1s", "runstream.gateway.request-timeout=2s"})
@AutoConfigureWebTestClient
class LocalDispatchIT {

    private static final HttpStub projection = new HttpStub();
    private static final String INGRESS = "http://127.0.0.1:" + Ports.free();
    private static final AtomicInteger served = new AtomicInteger();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry props) {
        props.add("runstream.gateway.ingress-uri", () -> INGRESS);
        props.add("runstream.gateway.projection-uri", projection::baseUrl);
    }

    @AfterAll
    static void stop() {
        projection.close();
    }

    /** The ingress in this JVM: counts what it serves, reads the whole body, and has a service's error handler. */
    @TestConfiguration(proxyBeanMethods = false)
    static class IngressInThisJvm {

        @Bean
        LocalServices localServices() {
            var ingress = WebHttpHandlerBuilder.webHandler(exchange -> DataBufferUtils
                            .join(exchange.getRequest().getBody())
                            .map(body -> {
                                int length = body.readableByteCount();
                                DataBufferUtils.release(body);
                                return length;
                            })
                            .defaultIfEmpty(0)
                            .flatMap(length -> {
                                served.incrementAndGet();
                                var response = exchange.getResponse();
                                response.setStatusCode(HttpStatus.CREATED);
                                response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                                byte[] json = ("{\"servedBy\":\"local\",\"path\":\"" + exchange.getRequest().getPath()
                                        + "\",\"received\":" + length + "}").getBytes(StandardCharsets.UTF_8);
                                return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
                            }))
                    .exceptionHandler(new DialectErrorHandler(JsonMapper.builder().build()) {
                        @Override
                        protected ApiFailure map(Throwable failure) {
                            return null;
                        }
                    })
                    .build();
            return new LocalServices(Map.of(URI.create(INGRESS), ingress));
        }
    }

    @Autowired
    WebTestClient web;

    @Autowired
    RouteLocator gatewayRoutes;

    @Autowired
    GatewayProperties gateway;

    @Autowired
    ApiOperations operations;

    @LocalServerPort
    int port;

    @Test
    void shouldHandARequestForAServiceInThisJvmToItsHandler() {
        int before = served.get();
        web.post().uri("/v1/workflows/demo/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.servedBy").isEqualTo("local")
                .jsonPath("$.path").isEqualTo("/v1/workflows/demo/executions")
                .jsonPath("$.received").isEqualTo(16);
        web.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.servedBy").isEqualTo("local");
        assertThat(served.get() - before).isEqualTo(2);
    }

    @Test
    void shouldStillProxyARouteToAServiceThatRunsElsewhere() {
        int before = served.get();
        web.get().uri("/v1/executions/42").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("no such path");
        assertThat(projection.calls("/v1/executions/42")).isEqualTo(1);
        assertThat(served.get()).isEqualTo(before);
    }

    @Test
    void shouldStillRefuseWhatTheApiDoesNotHaveAtTheEdge() throws Exception {
        int before = served.get();
        web.post().uri("/v1/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        web.delete().uri("/v1/workflows/demo/executions").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST")
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
        try (RawHttp client = new RawHttp(port)) {
            RawHttp.Reply reply = client.send("POST /v1/workflows/demo/executions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n").reply();
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body()).contains("UPGRADE_NOT_SUPPORTED");
        }
        web.get().uri("/openapi.yaml").exchange().expectStatus().isOk();
        assertThat(served.get()).as("none of these reached the service").isEqualTo(before);
    }

    @Test
    void shouldCutOffABodyThatStallsWithTheServicesErrorModelAndCloseTheConnection() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            RawHttp.Reply reply = client.send("POST /v1/workflows/demo/executions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"inputData\":").reply();
            assertThat(reply.status()).isEqualTo(408);
            assertThat(reply.body()).contains("\"code\":\"REQUEST_TIMEOUT\"")
                    .contains("The request body was not received in time: at most 1 s between parts and 2 s in all");
            assertThat(reply.head().toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldMatchEveryOperationToTheRouteTheGatewayWouldTake() {
        RouteTable table = RouteTable.of(gateway);
        int routed = 0;
        for (Map.Entry<String, java.util.Set<HttpMethod>> operation : operations.byPattern().entrySet()) {
            String path = operation.getKey().replaceAll("\\{[^}]+}", "x1").replace("**", "a/b");
            for (HttpMethod method : operation.getValue()) {
                MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
                URI expected = gatewayRoutes.getRoutes()
                        .filterWhen(route -> route.getPredicate().apply(exchange))
                        .next().map(Route::getUri).block();
                URI actual = table.target(method, PathContainer.parsePath(path));
                assertThat(actual).as(method + " " + path).isEqualTo(expected);
                routed += expected == null ? 0 : 1;
            }
        }
        assertThat(routed).as("operations routed to a service").isGreaterThan(30);
    }
}
