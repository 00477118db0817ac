package io.runstream.worker.messaging;

import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionStatus;
import io.runstream.worker.domain.FinishedStore;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Executions that ended within the retention window, so duplicates and late inputs for them are still recognized
 * and ignored. A live execution's state leaves the execution store when it ends; its terminal status lands here, in a
 * store segmented by time whose old segments are dropped whole (and whose changelog expires by retention), so
 * forgetting a finished execution costs no record of its own. The view keeps every execution.
 */
final class FinishedExecutions implements FinishedStore {

    private final WindowStore<String, String> store;
    private final long retentionMillis;

    FinishedExecutions(WindowStore<String, String> store, Duration retention) {
        this.store = store;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public boolean contains(String executionId, long now) {
        try (WindowStoreIterator<String> found = store.fetch(executionId, now - retentionMillis, now)) {
            return found.hasNext();
        }
    }

    /**
     * The status the execution ended with, if it ended within the window for this tenant; null otherwise. Entries
     * written before the tenant was kept carry none and match any tenant.
     */
    @Override
    public ExecutionStatus status(String executionId, String tenant, long now) {
        try (WindowStoreIterator<String> found = store.fetch(executionId, now - retentionMillis, now)) {
            if (!found.hasNext()) {
                return null;
            }
            // a redriven execution may have ended more than once: the latest counts
            String last = found.next().value;
            while (found.hasNext()) {
                last = found.next().value;
            }
            String[] parts = last.split(":", 3);
            return parts.length < 3 || parts[2].equals(tenant) ? ExecutionStatus.valueOf(parts[0]) : null;
        }
    }

    /** Kept as {@code STATUS:sequence:tenant}. */
    void add(Execution finished, long now) {
        store.put(finished.executionId(), finished.status() + ":" + finished.sequence() + ":" + finished.tenant(),
                now);
    }
}
