package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandDecided;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The outcomes of recent commands, by execution and command id, so a command sent again with the same id (a client
 * retrying after a timeout) gets the outcome it got the first time instead of being decided again. Kept for the
 * worker's retention in a store segmented by time, like the finished executions.
 */
final class DecidedCommands {

    private final WindowStore<String, ExecutionCommandDecided> store;
    private final long retentionMillis;

    DecidedCommands(WindowStore<String, ExecutionCommandDecided> store, Duration retention) {
        this.store = store;
        this.retentionMillis = retention.toMillis();
    }

    /** The outcome of the command with this id for this execution, if it was decided within the retention. */
    ExecutionCommandDecided find(String executionId, String commandId, long now) {
        try (WindowStoreIterator<ExecutionCommandDecided> found = store.fetch(key(executionId, commandId),
                Math.max(0, now - retentionMillis), now)) {
            return found.hasNext() ? found.next().value : null;
        }
    }

    void remember(ExecutionCommandDecided outcome, long now) {
        store.put(key(outcome.getExecutionId(), outcome.getCommandId()), outcome, now);
    }

    private static String key(String executionId, String commandId) {
        return executionId + "/" + commandId;
    }
}
