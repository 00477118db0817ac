package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.worker.domain.CommandOutcome;
import io.runstream.worker.domain.CommandStore;
import io.runstream.worker.domain.ExecutionCommand;
import io.runstream.worker.domain.ExecutionStatus;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The outcomes of recent commands, by execution and command id, so a command sent again with the same id (a client
 * retrying after a timeout) gets the outcome it got the first time instead of being decided again. Kept for the
 * worker's retention in a store segmented by time, like the finished executions.
 */
final class DecidedCommands implements CommandStore {

    private final WindowStore<String, ExecutionCommandDecided> store;
    private final long retentionMillis;

    DecidedCommands(WindowStore<String, ExecutionCommandDecided> store, Duration retention) {
        this.store = store;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public CommandOutcome find(String executionId, String commandId, long now) {
        try (WindowStoreIterator<ExecutionCommandDecided> found = store.fetch(key(executionId, commandId),
                Math.max(0, now - retentionMillis), now)) {
            return found.hasNext() ? toDomain(found.next().value) : null;
        }
    }

    /** The outcome as remembered: its command as far as the outcome names it (id, execution, tenant and kind). */
    private static CommandOutcome toDomain(ExecutionCommandDecided d) {
        ExecutionCommand command = new ExecutionCommand(d.getCommandId(), d.getExecutionId(), d.getTenant(),
                d.getCommand() == ExecutionCommandType.UNKNOWN ? null
                        : ExecutionCommand.Kind.valueOf(d.getCommand().name()), null, null, null);
        return new CommandOutcome(command, d.getAccepted(), d.getCode(), d.getMessage(),
                d.getStatus() == null ? null : ExecutionStatus.valueOf(d.getStatus().name()), d.getSequence(),
                d.getRedriveCount(), d.getDecidedAt());
    }

    void remember(ExecutionCommandDecided outcome, long now) {
        store.put(key(outcome.getExecutionId(), outcome.getCommandId()), outcome, now);
    }

    private static String key(String executionId, String commandId) {
        return executionId + "/" + commandId;
    }
}
