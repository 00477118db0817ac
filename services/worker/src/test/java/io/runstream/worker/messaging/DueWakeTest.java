package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one punctuation a processor keeps for what comes due: none while nothing is due, at most one per interval. */
class DueWakeTest {

    private static final long START = 1_000_000L;

    private final List<Long> checks = new ArrayList<>();
    private final List<Long> lateness = new ArrayList<>();
    private MockProcessorContext<String, String> context;
    private DueWake wake;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(START);
        wake = new DueWake(context, Duration.ofMillis(100), (now, late) -> {
            checks.add(now);
            lateness.add(late);
        });
    }

    private List<CapturedPunctuator> live() {
        return context.scheduledPunctuators().stream().filter(p -> !p.cancelled()).toList();
    }

    @Test
    void shouldScheduleNothingWhileNothingIsDue() {
        wake.armFor(Long.MAX_VALUE);

        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    @Test
    void shouldScheduleOneWallClockPunctuationForTheEarliestDueTime() {
        wake.armFor(START + 5_000);
        wake.armFor(START + 9_000);
        wake.armFor(START + 2_000);

        assertThat(live()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(2_000));
        });
        assertThat(context.scheduledPunctuators()).hasSize(2);
    }

    @Test
    void shouldRunTheCheckOnceAndScheduleNothingMoreUntilArmedAgain() {
        wake.armFor(START + 2_000);
        CapturedPunctuator punctuator = live().get(0);

        context.setCurrentSystemTimeMs(START + 2_000);
        punctuator.getPunctuator().punctuate(START + 2_000);

        assertThat(checks).containsExactly(START + 2_000);
        assertThat(live()).isEmpty();
    }

    @Test
    void shouldCheckAtMostOncePerIntervalEvenWhenSomethingIsAlreadyDue() {
        context.setCurrentSystemTimeMs(START + 2_000);
        wake.armFor(START + 2_000);
        live().get(0).getPunctuator().punctuate(START + 2_000);

        wake.armFor(START + 2_000);

        assertThat(live()).singleElement().satisfies(p -> assertThat(p.getInterval()).isEqualTo(Duration.ofMillis(100)));
    }

    @Test
    void shouldTellTheCheckHowLateItRuns() {
        wake.armFor(START + 2_000);
        // the stream thread was held up 20 s (a commit while the cluster was down)
        live().get(0).getPunctuator().punctuate(START + 22_000);

        assertThat(checks).containsExactly(START + 22_000);
        assertThat(lateness).containsExactly(20_000L);
    }

    @Test
    void shouldCountLatenessFromWhenItWasScheduledIfThatWasAfterTheDueTime() {
        context.setCurrentSystemTimeMs(START + 10_000);
        wake.armFor(START + 2_000);

        live().get(0).getPunctuator().punctuate(START + 10_050);

        assertThat(lateness).containsExactly(50L);
    }
}
