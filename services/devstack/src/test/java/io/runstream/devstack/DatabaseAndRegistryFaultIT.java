package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.HttpStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and the schema registry taken away under load, with the whole stack running and clients starting
 * executions through the API: PostgreSQL frozen (SIGSTOP of the server and its backends), PostgreSQL killed
 * (SIGKILL) and started again on its data, and the registry frozen. While it is away starts may answer 503 and are
 * sent again, as clients do; afterwards every accepted execution has ended once, its call made once, and readiness
 * said what was missing. The outage lasts {@code runstream.fault.outage} (10 s; 30 s in the faults profile), the
 * load {@code runstream.fault.executions} starts (100; 300).
 */
class DatabaseAndRegistryFaultIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("runstream.fault.outage", "PT10S"));
    private static final int EXECUTIONS = Integer.getInteger("runstream.fault.executions", 100);
    /** About 10 starts a second from 2 clients: the load runs through the whole outage. */
    private static final Duration PACE = Duration.ofMillis(200);

    private final TestStack stack = TestStack.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldLoseNothingWhenPostgresIsFrozenUnderLoad() throws Exception {
        ApiLoad.Figures figures = underLoad(() -> {
            try (var frozen = stack.infra.freezePostgres()) {
                assertNotReady(stack.settings.ingressPort(), "db");
                assertNotReady(stack.settings.projectionPort(), "db");
                pause(OUTAGE);
            }
        });
        figures.print("db-freeze", "PostgreSQL frozen " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    @Test
    void shouldLoseNothingWhenPostgresIsKilledAndStartedAgainUnderLoad() throws Exception {
        ApiLoad.Figures figures = underLoad(() -> {
            stack.infra.killPostgres();
            try {
                assertNotReady(stack.settings.ingressPort(), "db");
                assertNotReady(stack.settings.projectionPort(), "db");
                pause(OUTAGE);
            } finally {
                stack.infra.restartPostgres();
            }
        });
        figures.print("db-kill", "PostgreSQL killed, started again after " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    @Test
    void shouldLoseNothingWhenTheRegistryIsFrozenUnderLoad() throws Exception {
        ApiLoad.Figures figures = underLoad(() -> {
            try (var frozen = stack.infra.freezeRegistry()) {
                assertNotReady(stack.settings.ingressPort(), "schemaRegistry");
                assertNotReady(stack.settings.workerPort(), "schemaRegistry");
                pause(OUTAGE);
            }
        });
        figures.print("registry-freeze", "registry frozen " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    /** Something done to the infrastructure; it returns once the fault is over. */
    @FunctionalInterface
    interface Fault {
        void apply() throws Exception;
    }

    private ApiLoad.Figures underLoad(Fault fault) throws Exception {
        try (HttpStub stub = new HttpStub(); ApiLoad load = new ApiLoad(stack.baseUrl, TestStack.KEY, stub)) {
            load.start(EXECUTIONS, 2, PACE);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted() >= 20);
            fault.apply();
            Instant over = Instant.now();
            for (int port : new int[] {stack.settings.ingressPort(), stack.settings.workerPort(),
                    stack.settings.projectionPort()}) {
                await().atMost(Duration.ofSeconds(60)).until(() -> readiness(port).statusCode() == 200);
            }
            load.awaitAccepted(Duration.ofSeconds(120));
            return load.awaitTerminal(stub, over, Duration.ofSeconds(120));
        }
    }

    private void assertNotReady(int port, String component) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = readiness(port);
            assertThat(ready.statusCode()).as("readiness of :%d", port).isEqualTo(503);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body()).path("components")
                    .path(component).path("status").asText()).as("names what is missing: %s", ready.body())
                    .isEqualTo("DOWN");
        });
    }

    private HttpResponse<String> readiness(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }
}
