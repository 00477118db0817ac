package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runaway jq expressions end in an expression error naming the expression, instead of pinning the worker's thread
 * or filling its heap. The preemptive timeout only keeps a regression from hanging the build; it is no performance
 * bound.
 */
class ExpressionBudgetTest {

    private final Expressions expressions = new Expressions();
    private final Expressions.Variables variables = new Expressions.Variables(JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), Map.of(), null);

    @ParameterizedTest
    @ValueSource(strings = {
            "last(range(1e12))",
            "[range(1e9)] | length",
            "until(false; .)",
            "last(repeat(1))",
            "[limit(1e7; repeat(1))] | length",
            "[range(10)] as $a | [$a,$a,$a,$a,$a,$a,$a,$a,$a,$a,$a,$a] | last(combinations)",
            "[range(10)] | last(combinations(12))",
            "reduce range(1e6) as $i ([]; . + [$i]) | length",
            "last(recurse(if . < 1e9 then . + 1 else empty end))"})
    void aRunawayFailsWithAnExpressionError(String jq) {
        WorkflowError error = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> catchThrowableOfType(
                WorkflowError.class, () -> expressions.evaluate(jq, JsonNodeFactory.instance.nullNode(), variables,
                        "/do/0/runaway/set")));
        assertThat(error).as("'%s' ends in an error", jq).isNotNull();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.detail()).contains(jq);
    }

    /**
     * Nested iteration with operators only calls no function, so nothing inside the evaluation can stop it; the
     * watchdog reports it by its running time, with the expression and its thread.
     */
    @Test
    void theWatchdogReportsAnEvaluationThatReachesNoCheck() throws Exception {
        String jq = "[range(20000)] as $a | reduce ($a[] as $x | $a[] | . + $x) as $s (0; . + $s)";
        CompletableFuture<ExpressionWatchdog.Stuck> stuck = new CompletableFuture<>();
        Thread evaluation = new Thread(() -> {
            try {
                expressions.evaluate(jq, JsonNodeFactory.instance.nullNode(), variables, "/do/0/spin/set");
            } catch (WorkflowError e) {
                // it may yet end in an error, once the watchdog has seen it
            }
        }, "spinning-evaluation");
        evaluation.setDaemon(true);
        try (ExpressionWatchdog watchdog = new ExpressionWatchdog(Duration.ofSeconds(3), stuck::complete)) {
            evaluation.start();
            ExpressionWatchdog.Stuck report = stuck.get(60, TimeUnit.SECONDS);
            assertThat(report.expression()).isEqualTo(jq);
            assertThat(report.thread()).isEqualTo("spinning-evaluation");
            assertThat(report.elapsed()).isGreaterThan(Duration.ofSeconds(3));
            assertThat(evaluation.isAlive()).as("the evaluation is still running when reported").isTrue();
        }
    }

    @Test
    void aWatchdogLimitWithinTheDeadlineIsRefused() {
        assertThatThrownBy(() -> new ExpressionWatchdog(Duration.ofSeconds(1), stuck -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
    }
}
