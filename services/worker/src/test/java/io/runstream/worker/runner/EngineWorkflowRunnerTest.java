package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineWorkflowRunnerTest {

    private static final String WAIT = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - pause:
                  wait: PT1H
            """;

    private final EngineWorkflowRunner runner = new EngineWorkflowRunner(
            new WebClientHttpCaller(Duration.ofSeconds(1), Duration.ofSeconds(1), 1024), (order, step) -> { },
            Clock.systemUTC());

    private static RunOrder order(int attempt) {
        return new RunOrder("e1", "t", "w", 1, WAIT, attempt, "{}", false);
    }

    @Test
    void shouldStopAnEarlierAttemptWhenALaterOneArrives() throws Exception {
        CompletableFuture<RunReport> first = runner.run(order(1)).toCompletableFuture();

        CompletableFuture<RunReport> second = runner.run(order(2)).toCompletableFuture();

        assertThat(first.get(5, TimeUnit.SECONDS)).as("cancelled runs complete with no report").isNull();
        assertThat(second).isNotDone();
        assertThat(runner.cancel("e1", 2)).isTrue();
        assertThat(second.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void shouldRunADispatchDeliveredTwiceOnlyOnce() throws Exception {
        CompletableFuture<RunReport> first = runner.run(order(1)).toCompletableFuture();
        CompletableFuture<RunReport> again = runner.run(order(1)).toCompletableFuture();

        assertThat(again).isSameAs(first);
        assertThat(runner.cancel("e1", 1)).isTrue();
        assertThat(runner.cancel("e1", 1)).as("nothing left to stop").isFalse();
    }
}
