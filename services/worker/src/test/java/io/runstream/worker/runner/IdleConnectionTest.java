package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call is not sent on a kept connection idle past {@code runstream.worker.http.idle-timeout}: the server may have
 * closed it meanwhile (its keep-alive timeout), and a call sent on it would fail without reaching the server.
 */
class IdleConnectionTest {

    private static final Duration KEEP_ALIVE = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shouldSendACallAfterTheServersKeepAliveOnAConnectionOfItsOwn() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(KEEP_ALIVE)) {
            WebClientHttpCaller caller = caller(Duration.ofMillis(200));

            answeredThenIdlePastTheKeepAlive(caller, server);
            assertThat(call(caller, server).status()).isEqualTo(200);

            assertThat(server.connections()).as("connections, the second call's its own").isEqualTo(2);
            assertThat(server.answered()).isEqualTo(2);
        }
    }

    @Test
    void shouldReuseAConnectionWithinTheIdleTimeout() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(Duration.ofSeconds(30))) {
            WebClientHttpCaller caller = caller(Duration.ofSeconds(10));

            for (int i = 0; i < 3; i++) {
                assertThat(call(caller, server).status()).isEqualTo(200);
                // a connection goes back to the pool just after its response was read: a call sent at once may take
                // a new one
                idle(Duration.ofMillis(200));
            }

            assertThat(server.connections()).as("connections, each idle 200 ms between calls").isEqualTo(1);
        }
    }

    /** What the idle timeout prevents: with a connection kept past the server's keep-alive, the call fails. */
    @Test
    void shouldFailACallOnAConnectionKeptPastTheServersKeepAlive() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(KEEP_ALIVE)) {
            WebClientHttpCaller caller = caller(Duration.ofSeconds(30));

            answeredThenIdlePastTheKeepAlive(caller, server);

            assertThatThrownBy(() -> call(caller, server)).hasStackTraceContaining("prematurely closed BEFORE response");
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.answered()).isEqualTo(1);
        }
    }

    private static WebClientHttpCaller caller(Duration idleTimeout) {
        return new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(5), 1 << 20, idleTimeout, List.of(),
                ObservationRegistry.NOOP);
    }

    private static HttpCaller.HttpResult call(WebClientHttpCaller caller, KeepAliveServer server) {
        return caller.exchange(new HttpCaller.HttpCall("POST", URI.create(server.url("/notify")),
                Map.of("Idempotency-Key", "key-1"), null)).block(WAIT);
    }

    /** A first call, answered, then its connection left idle past the server's keep-alive. */
    private static void answeredThenIdlePastTheKeepAlive(WebClientHttpCaller caller, KeepAliveServer server) {
        assertThat(call(caller, server).status()).isEqualTo(200);
        idle(KEEP_ALIVE.multipliedBy(2));
    }

    /** Lets the connection stand idle for {@code time}. */
    private static void idle(Duration time) {
        await().pollDelay(time).atMost(time.plus(WAIT)).until(() -> true);
    }
}
