package io.runstream.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class WhileWaitingTickerTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger ticks = new AtomicInteger();
    private final WhileWaitingTicker ticker = new WhileWaitingTicker(ticks::incrementAndGet, waiting::get, time,
            Duration.ofMillis(100));

    @Test
    void shouldNotTickWhileNothingWaits() {
        ticker.wake();
        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(ticks).hasValue(0);
        assertThat(ticker.ticking()).isFalse();
    }

    @Test
    void shouldTickEveryPeriodWhileSomethingWaitsAndStopOnceNothingDoes() {
        waiting.set(2);
        ticker.wake();
        ticker.wake();
        time.advanceTimeBy(Duration.ofMillis(350));
        assertThat(ticks).as("one series of ticks however often woken").hasValue(3);

        waiting.set(0);
        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(ticks).hasValue(4);
        assertThat(ticker.ticking()).isFalse();
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(ticks).as("no tick once nothing waits").hasValue(4);

        waiting.set(1);
        ticker.wake();
        time.advanceTimeBy(Duration.ofMillis(200));
        assertThat(ticks).as("woken again when something waits").hasValue(6);
    }

    @Test
    void shouldTickOnWhenSomethingCameToWaitAsTheTicksStopped() {
        // what the ticker reads, in turn: something waits (the wake); nothing after the first tick (so the ticks
        // stop); something again at once (an offer whose wake found the ticks still running); then nothing
        Deque<Integer> looks = new ArrayDeque<>(List.of(1, 0, 1));
        WhileWaitingTicker racing = new WhileWaitingTicker(ticks::incrementAndGet,
                () -> looks.isEmpty() ? 0 : looks.poll(), time, Duration.ofMillis(100));
        racing.wake();
        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(racing.ticking()).as("started again by its own look after stopping").isTrue();

        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(ticks).hasValue(2);
        assertThat(racing.ticking()).isFalse();
    }

    @Test
    void shouldNotTickAfterStop() {
        waiting.set(1);
        ticker.wake();
        time.advanceTimeBy(Duration.ofMillis(100));
        ticker.stop();
        ticker.wake();
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(ticks).hasValue(1);
        assertThat(ticker.ticking()).isFalse();
    }
}
