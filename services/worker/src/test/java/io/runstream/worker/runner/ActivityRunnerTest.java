package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every call has a total deadline, not only one between reads: a callee that dribbles bytes cannot hold it. */
class ActivityRunnerTest {

    private final ActivityRunner runner = new ActivityRunner(
            new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20), 1 << 20);

    @Test
    void shouldEndACallAtItsTotalDeadlineWhileTheCalleeKeepsSendingBytes() throws Exception {
        try (DribblingServer callee = new DribblingServer(Duration.ofSeconds(1))) {
            HttpRequest request = new HttpRequest("GET", callee.url("/dribble"), Map.of(), null);

            // a byte a second never lets the 2 s response timeout fire; only the 3 s call timeout ends it
            HttpResponse response = runner.perform(request, "key-1", Duration.ofSeconds(3))
                    .block(Duration.ofSeconds(30));

            assertThat(response.failure()).isEqualTo(HttpResponse.Failure.TIMED_OUT);
            assertThat(response.message()).contains("runstream.worker.http.call-timeout");
            assertThat(callee.requests()).singleElement()
                    .isEqualTo(new DribblingServer.Request("/dribble", "key-1"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(callee.open())
                    .as("the connection was closed").isZero());
        }
    }
}
