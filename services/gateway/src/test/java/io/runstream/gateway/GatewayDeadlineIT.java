package io.runstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The edge's deadlines for reading a request (1 s of silence, 2 s for a body here): a client that stalls or
 * trickles is cut off, with 408 once its head is in, while answers that take longer than that (a long poll, an
 * event stream) go on; a client that goes away leaves no call tracked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=gateway", "runstream.gateway.read-timeout=1s", "runstream.gateway.request-timeout=2s"})
@AutoConfigureWebTestClient
class GatewayDeadlineIT {

    private static final AtomicInteger longPolls = new AtomicInteger();

    /** Both services: an event stream of 12 events 300 ms apart, a long poll of 3 s, and a start that reads its body. */
    private static final DisposableServer services = HttpServer.create().host("127.0.0.1").port(0)
            .route(routes -> routes
                    .get("/v1/executions/{id}/events", (request, response) -> response.sse()
                            .sendString(Flux.interval(Duration.ofMillis(300)).take(12)
                                    .map(i -> "data: {\"tick\":" + i + "}\n\n")))
                    .get("/v1/executions/{id}", (request, response) -> {
                        longPolls.incrementAndGet();
                        return Mono.delay(Duration.ofSeconds(3)).then(response
                                .header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"status\":\"SUCCEEDED\"}")).then());
                    })
                    .post("/v1/workflows/{id}/executions", (request, response) -> request.receive().aggregate()
                            .asString().defaultIfEmpty("").flatMap(body -> response.status(201)
                                    .header("Content-Type", "application/json")
                                    .sendString(Mono.just("{\"received\":" + body.length() + "}")).then())))
            .bindNow();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry props) {
        String url = "http://127.0.0.1:" + services.port();
        props.add("runstream.gateway.ingress-uri", () -> url);
        props.add("runstream.gateway.projection-uri", () -> url);
    }

    @AfterAll
    static void stop() {
        services.disposeNow();
    }

    @Autowired
    WebTestClient web;

    @LocalServerPort
    int port;

    private static final String START = "POST /v1/workflows/demo/executions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"inputData\":";

    @Test
    void shouldCutOffAClientThatStallsInTheMiddleOfItsBody() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            RawHttp.Reply reply = client.send(START).reply();
            assertThat(reply.status()).isEqualTo(408);
            assertThat(reply.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldCloseAConnectionThatStallsInTheMiddleOfItsRequestHead() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send("POST /v1/workflows/demo/executions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldCutOffAClientThatTricklesItsBodyPastTheRequestDeadline() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RawHttp client = new RawHttp(port)) {
            client.send(START);
            // a byte every 200 ms: never silent for the read timeout, 12 s for the body without the deadline
            trickle.scheduleAtFixedRate(() -> {
                try {
                    client.send(" ");
                } catch (Exception closed) {
                    trickle.shutdown();
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            RawHttp.Reply reply = client.reply();
            assertThat(reply.status()).isEqualTo(408);
            assertThat(reply.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void shouldPassAWholeRequestThrough() {
        web.post().uri("/v1/workflows/demo/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{}}").exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.received").isEqualTo(16);
    }

    @Test
    void shouldKeepAnEventStreamGoingLongerThanTheRequestDeadline() {
        List<String> events = web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/v1/executions/e1/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(30));
        assertThat(events).hasSize(12).last().asString().contains("\"tick\":11");
    }

    @Test
    void shouldWaitForALongPollLongerThanTheRequestDeadline() {
        web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/v1/executions/e2?waitForTerminalSeconds=3").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldTrackNoCallOnceTheClientHasGoneAway() throws Exception {
        int before = longPolls.get();
        try (RawHttp client = new RawHttp(port)) {
            client.send("GET /v1/executions/e3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            await().untilAsserted(() -> assertThat(longPolls.get()).as("the call reached the service")
                    .isGreaterThan(before));
        }
        await().untilAsserted(() -> assertThat(Scrape.of(web.get().uri("/actuator/prometheus").exchange()
                .expectBody(String.class).returnResult().getResponseBody())
                .sum("http_client_requests_active_seconds_count")).as("calls to a service in flight").isZero());
    }
}
