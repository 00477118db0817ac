package io.runstream.api.schedule;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Runs a task periodically only while something waits for it: {@link #wake()} after anything that may have made
 * something wait starts the ticks, and they stop once a tick finds nothing waiting. An idle service then wakes no
 * thread for it (the worker's runner ticked ten times a second).
 */
public final class WhileWaitingTicker {

    private final Runnable task;
    private final IntSupplier waiting;
    private final Scheduler scheduler;
    private final long periodMillis;
    private final AtomicReference<Disposable> ticks = new AtomicReference<>();
    private volatile boolean stopped;

    public WhileWaitingTicker(Runnable task, IntSupplier waiting, Scheduler scheduler, Duration period) {
        this.task = task;
        this.waiting = waiting;
        this.scheduler = scheduler;
        this.periodMillis = period.toMillis();
    }

    /** Starts the ticks if something waits and they are not running. */
    public void wake() {
        if (stopped || ticks.get() != null || waiting.getAsInt() == 0) {
            return;
        }
        Disposable started = scheduler.schedulePeriodically(this::tick, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
        if (!ticks.compareAndSet(null, started) || stopped) {
            started.dispose();
        }
    }

    /** Whether the ticks are running. */
    public boolean ticking() {
        return ticks.get() != null;
    }

    public void stop() {
        stopped = true;
        Disposable current = ticks.getAndSet(null);
        if (current != null) {
            current.dispose();
        }
    }

    private void tick() {
        task.run();
        if (waiting.getAsInt() == 0) {
            Disposable current = ticks.getAndSet(null);
            if (current != null) {
                current.dispose();
            }
            // something may have come to wait between the look and the stop, its wake finding the ticks running
            wake();
        }
    }
}
