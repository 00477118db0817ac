package io.runstream.ingress.domain;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Port: the worker's decisions, as they arrive. */
public interface CommandOutcomes {

    /**
     * The outcome of a command, completed when it arrives; call before the command is published, so the outcome
     * cannot arrive first, and {@link #forget} it when no longer waited for.
     */
    CompletableFuture<CommandOutcome> expect(UUID commandId);

    void forget(UUID commandId);
}
