package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Early commits: at most one per eager interval, and none while the worker is busy or its CPU use cannot be read;
 * past those bounds one per steady interval while inputs wait less than the steady bound, and none further behind.
 */
class CommitPacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(5_000 * MS);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile double cpu = 0.2;

    /** Eager commits only: no steady ones. */
    private CommitPacer pacer(long intervalMillis) {
        return pacer(intervalMillis, 0);
    }

    private CommitPacer pacer(long intervalMillis, long steadyIntervalMillis) {
        return new CommitPacer(intervalMillis * MS, 100, 0.6, steadyIntervalMillis * MS, 1_000, () -> {
            reads.incrementAndGet();
            return cpu;
        }, clock::get);
    }

    @Test
    void shouldAskOncePerSteadyIntervalWhileInputsWaitLessThanTheSteadyBound() {
        CommitPacer pacer = pacer(10, 100);
        cpu = 0.9;

        assertThat(pacer.commitNow(0)).as("busy: not eagerly").isFalse();
        clock.addAndGet(90 * MS);
        assertThat(pacer.commitNow(500)).isTrue();
        clock.addAndGet(50 * MS);
        assertThat(pacer.commitNow(500)).isFalse();
        clock.addAndGet(50 * MS);
        assertThat(pacer.commitNow(1_000)).isTrue();
        clock.addAndGet(200 * MS);
        assertThat(pacer.commitNow(1_001)).as("further behind: the commit interval decides").isFalse();
        cpu = -1;
        assertThat(pacer.commitNow(900)).as("CPU use unknown: still the steady interval").isTrue();
    }

    @Test
    void shouldAskEagerlyAgainOnceTheWorkerHasCaughtUp() {
        CommitPacer pacer = pacer(10, 100);

        assertThat(pacer.commitNow(5_000)).isFalse();
        assertThat(pacer.commitNow(50)).isTrue();
        clock.addAndGet(10 * MS);
        assertThat(pacer.commitNow(50)).isTrue();
        assertThat(pacer.commitNow(50)).isFalse();
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
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long wallStart = System.nanoTime();
        long threadStart = threads.getCurrentThreadCpuTime();
        CommitPacer.ProcessCpu cpu = new CommitPacer.ProcessCpu();
        // spins until this thread has had 200 ms of CPU, however busy the machine is (at most 10 s)
        long giveUp = wallStart + TimeUnit.SECONDS.toNanos(10);
        long spun = 0;
        while (spun < TimeUnit.MILLISECONDS.toNanos(200) && System.nanoTime() < giveUp) {
            spun = threads.getCurrentThreadCpuTime() - threadStart;
        }
        double busy = cpu.getAsDouble();
        long wall = System.nanoTime() - wallStart;

        int processors = Runtime.getRuntime().availableProcessors();
        double thisThread = (double) spun / wall / processors;
        assertThat(spun).isPositive();
        assertThat(busy).as("one thread spinning on %d processors, its own share %.3f", processors, thisThread)
                .isBetween(thisThread * 0.5, 1.0);
    }
}
