package io.runstream.engine;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Looks for a jq evaluation that has run far past its deadline without reaching a check (see {@link JqBudget}):
 * its thread cannot be stopped from outside, and left alone it would hold its partition for good, then the next
 * instance's. The watchdog hands it to {@code onStuck}, which halts the process; the record that was in flight is
 * then reported as having crashed this instance, and an execution reported twice is quarantined.
 */
public final class ExpressionWatchdog implements AutoCloseable {

    private final Thread thread;

    /** A stuck evaluation: what and where it is, and how long it has run. */
    public record Stuck(String thread, String expression, Duration elapsed) {
    }

    public ExpressionWatchdog(Duration haltAfter, Consumer<Stuck> onStuck) {
        if (haltAfter.compareTo(JqBudget.MAX_TIME) <= 0) {
            throw new IllegalArgumentException("haltAfter must be longer than an evaluation's deadline ("
                    + JqBudget.MAX_TIME + ")");
        }
        Duration every = haltAfter.dividedBy(10);
        this.thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(every.toMillis());
                    for (JqBudget.Running running : JqBudget.running()) {
                        if (running.elapsed().compareTo(haltAfter) > 0) {
                            onStuck.accept(new Stuck(running.thread(), running.expression(), running.elapsed()));
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runstream-expression-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
