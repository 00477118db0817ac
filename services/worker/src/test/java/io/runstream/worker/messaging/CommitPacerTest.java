package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Early commits: at most one per interval, and none while the worker is busy or its CPU use cannot be read. */
class CommitPacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(5_000 * MS);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile double cpu = 0.2;

    private CommitPacer pacer(long intervalMillis) {
        return new CommitPacer(intervalMillis * MS, 100, 0.6, () -> {
            reads.incrementAndGet();
            return cpu;
        }, clock::get);
    }

    @Test
    void shouldAskAtMostOncePerIntervalWhileTheWorkerHasCpuToSpare() {
        CommitPacer pacer = pacer(10);

        assertThat(pacer.commitNow(0)).isTrue();
        clock.addAndGet(4 * MS);
        assertThat(pacer.commitNow(0)).isFalse();
        clock.addAndGet(6 * MS);
        assertThat(pacer.commitNow(0)).isTrue();
        assertThat(pacer.commitNow(0)).isFalse();
    }

    @Test
    void shouldLeaveCommitsToTheIntervalWhileInputsWaitToBeRead() {
        CommitPacer pacer = pacer(10);

        assertThat(pacer.commitNow(101)).isFalse();
        assertThat(pacer.commitNow(100)).isTrue();
    }

    @Test
    void shouldLeaveCommitsToTheIntervalWhileTheWorkerIsBusy() {
        CommitPacer pacer = pacer(10);
        cpu = 0.6;

        assertThat(pacer.commitNow(0)).isFalse();
        clock.addAndGet(50 * MS);
        assertThat(pacer.commitNow(0)).as("CPU use is read again only a tenth of a second after the last read")
                .isFalse();
        cpu = 0.3;
        clock.addAndGet(50 * MS);
        assertThat(pacer.commitNow(0)).isTrue();
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldNeverAskWhenCpuUseCannotBeRead() {
        CommitPacer pacer = pacer(10);
        cpu = -1;

        assertThat(pacer.commitNow(0)).isFalse();
        clock.addAndGet(1_000 * MS);
        assertThat(pacer.commitNow(0)).isFalse();
    }

    @Test
    void shouldNeverAskWhenEarlyCommitsAreOff() {
        CommitPacer pacer = pacer(0);

        assertThat(pacer.commitNow(0)).isFalse();
        clock.addAndGet(1_000 * MS);
        assertThat(pacer.commitNow(0)).isFalse();
        assertThat(reads).hasValue(0);
    }

    @Test
    void shouldReadTheProcessCpuUseAsAShareOfItsProcessors() {
        CommitPacer.ProcessCpu cpu = new CommitPacer.ProcessCpu();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long spin = 0;
        while (System.nanoTime() < until) {
            spin++;
        }
        double busy = cpu.getAsDouble();

        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(spin).isPositive();
        assertThat(busy).as("one thread spinning on %d processors", processors).isBetween(0.5 / processors, 1.0);
    }
}
