package io.runstream.worker.runner;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs each item it is given, one at a time, on whichever thread is already draining: a call that ends at once
 * (a refused address, say) frees its slot and starts the next one from inside {@code start}, and this keeps that
 * a loop instead of a recursion as deep as the queue. {@code start} must not throw.
 */
final class Launcher<T> {

    private final Consumer<T> start;
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();

    Launcher(Consumer<T> start) {
        this.start = start;
    }

    void launch(Collection<T> items) {
        if (items.isEmpty()) {
            return;
        }
        pending.addAll(items);
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            for (T item = pending.poll(); item != null; item = pending.poll()) {
                start.accept(item);
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }
}
