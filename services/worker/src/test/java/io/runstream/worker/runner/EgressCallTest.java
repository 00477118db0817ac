package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.ObservationRegistry;
import io.runstream.testkit.HttpStub;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real calls through the runner to a server on 127.0.0.1, written in forms that only ever reach loopback: each is
 * refused when loopback is blocked and reaches the server when it is not; a redirect is handed to the workflow and
 * its target is checked when it is called.
 */
class EgressCallTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static Stream<Arguments> loopbackForms() {
        return Stream.of("127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
                        "[0:0:0:0:0:ffff:7f00:1]", "2130706433", "0x7f000001", "017700000001")
                .flatMap(host -> Stream.of(Arguments.of(host, List.of("127.0.0.0/8")),
                        Arguments.of(host, EgressPolicyTest.PRODUCTION)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("loopbackForms")
    void shouldRefuseEveryFormOfABlockedLoopbackAddressWithoutCallingIt(String host, List<String> blocked) {
        try (HttpStub stub = new HttpStub()) {
            HttpResponse response = runner(blocked).perform(get(host, stub, "/ok/form"), "key-1", WAIT).block(WAIT);

            assertThat(response.failure()).isEqualTo(HttpResponse.Failure.REFUSED);
            assertThat(response.message()).contains("blocked by runstream.worker.http.blocked-networks");
            assertThat(stub.calls("/ok/form")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
        "[0:0:0:0:0:ffff:7f00:1]", "2130706433"})
    void shouldReachTheServerThroughTheSameFormsWhenLoopbackIsOpen(String host) {
        try (HttpStub stub = new HttpStub()) {
            HttpResponse response = runner(EgressPolicyTest.DEFAULT).perform(get(host, stub, "/ok/form"), "key-1", WAIT)
                    .block(WAIT);

            assertThat(response.failure()).as(response.message()).isNull();
            assertThat(response.status()).isEqualTo(200);
            assertThat(stub.calls("/ok/form")).isOne();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "0x7f.1", "0177.1", "0x7f.0.0.1", "0177.0.1"})
    void shouldNeverCallANumericHostThatJavaTakesForNoHostAtAll(String host) {
        try (HttpStub stub = new HttpStub()) {
            HttpResponse response = runner(EgressPolicyTest.DEFAULT).perform(get(host, stub, "/ok/form"), "key-1", WAIT)
                    .block(WAIT);

            assertThat(response.failure()).isEqualTo(HttpResponse.Failure.UNREACHABLE);
            assertThat(response.message()).contains("Host is not specified");
            assertThat(stub.calls("/ok/form")).isZero();
        }
    }

    @Test
    void shouldHandARedirectToTheWorkflowAndCheckItsTargetOnlyWhenItIsCalled() throws IOException {
        try (Redirects server = new Redirects()) {
            // 127.0.0.2 is loopback too, and nothing listens there: had the redirect been followed, nothing left
            ActivityRunner runner = runner(List.of("127.0.0.2/32"));

            HttpResponse toBlocked = runner.perform(server.get("/to-blocked"), "key-1", WAIT).block(WAIT);
            HttpResponse toOpen = runner.perform(server.get("/to-open"), "key-2", WAIT).block(WAIT);

            assertThat(toBlocked.failure()).as(toBlocked.message()).isNull();
            assertThat(toBlocked.status()).isEqualTo(302);
            assertThat(location(toBlocked)).isEqualTo(server.blockedTarget());
            assertThat(toOpen.status()).isEqualTo(302);
            assertThat(location(toOpen)).isEqualTo(server.openTarget());
            assertThat(server.calls("/secret")).isZero();

            HttpResponse blocked = runner.perform(new HttpRequest("GET", location(toBlocked), Map.of(), null), "key-3",
                    WAIT)
                    .block(WAIT);
            assertThat(blocked.failure()).isEqualTo(HttpResponse.Failure.REFUSED);
            assertThat(server.calls("/secret")).isZero();

            HttpResponse open = runner.perform(new HttpRequest("GET", location(toOpen), Map.of(), null), "key-4",
                    WAIT)
                    .block(WAIT);
            assertThat(open.status()).isEqualTo(200);
            assertThat(server.calls("/secret")).isOne();
        }
    }

    private static ActivityRunner runner(List<String> blocked) {
        return new ActivityRunner(new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20,
                WebClientHttpCaller.IDLE_TIMEOUT, blocked, ObservationRegistry.NOOP), 1 << 20);
    }

    private static HttpRequest get(String host, HttpStub stub, String path) {
        int port = URI.create(stub.baseUrl()).getPort();
        return new HttpRequest("GET", "http://" + host + ":" + port + path, Map.of(), null);
    }

    private static String location(HttpResponse response) {
        return response.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Location"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** A server on 127.0.0.1 that redirects /to-blocked to 127.0.0.2 (as IPv4-mapped) and /to-open to itself. */
    private static final class Redirects implements AutoCloseable {

        private final HttpServer server;
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        Redirects() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                String target = path.equals("/to-blocked") ? blockedTarget()
                        : path.equals("/to-open") ? openTarget() : null;
                if (target != null) {
                    exchange.getResponseHeaders().set("Location", target);
                }
                exchange.sendResponseHeaders(target != null ? 302 : 200, -1);
                exchange.close();
            });
            server.start();
        }

        String blockedTarget() {
            return "http://[::ffff:127.0.0.2]:" + server.getAddress().getPort() + "/secret";
        }

        String openTarget() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/secret";
        }

        HttpRequest get(String path) {
            return new HttpRequest("GET", "http://127.0.0.1:" + server.getAddress().getPort() + path, Map.of(), null);
        }

        int calls(String path) {
            return calls.getOrDefault(path, new AtomicInteger()).get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
