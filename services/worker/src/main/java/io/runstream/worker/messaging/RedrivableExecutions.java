package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.RedriveStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Executions that failed or timed out with a redrive point, kept for the redrive window so a redrive can reopen
 * them. Like the finished executions, the store is segmented by time, so an execution past the window is forgotten
 * with its segment, at no cost of its own. A window of zero keeps none: redrive is off.
 */
final class RedrivableExecutions implements RedriveStore {

    private final WindowStore<String, ExecutionState> store;
    private final long windowMillis;

    RedrivableExecutions(WindowStore<String, ExecutionState> store, Duration window) {
        this.store = store;
        this.windowMillis = window.toMillis();
    }

    @Override
    public Execution find(String executionId, long now) {
        if (windowMillis == 0) {
            return null;
        }
        ExecutionState latest = null;
        try (WindowStoreIterator<ExecutionState> kept = store.fetch(executionId, Math.max(0, now - windowMillis),
                now)) {
            while (kept.hasNext()) {
                latest = kept.next().value;
            }
        }
        return AvroMapper.toDomain(latest);
    }

    void keep(Execution failed, long now) {
        if (windowMillis > 0) {
            store.put(failed.executionId(), AvroMapper.toState(failed), now);
        }
    }

    /** Forgets every failure of the execution kept within the window: it was redriven. */
    void forget(String executionId, long now) {
        if (windowMillis == 0) {
            return;
        }
        List<Long> times = new ArrayList<>();
        try (WindowStoreIterator<ExecutionState> kept = store.fetch(executionId, Math.max(0, now - windowMillis),
                now)) {
            kept.forEachRemaining(entry -> times.add(entry.key));
        }
        times.forEach(time -> store.put(executionId, null, time));
    }
}
