package io.runstream.ingress.domain;

import java.util.concurrent.CompletableFuture;

/** Port: the worker's decisions, as they arrive. */
public interface CommandOutcomes {

    /**
     * The outcome of a command, completed when it arrives; call before the command is published, so the outcome
     * cannot arrive first, and {@link #forget} it when no longer waited for. A command is told apart by its
     * tenant, execution and id together: callers choose ids, so only the three name one command.
     */
    CompletableFuture<CommandOutcome> expect(ControlCommand command);

    void forget(ControlCommand command);
}
