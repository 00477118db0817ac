package io.runstream.ingress.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Puts commands for executions on the control topic, where the worker that owns each execution decides them in
 * order with everything else that execution receives, and, if the caller waits, answers with the worker's decision.
 * The ingress holds no execution state: whether a command may apply is the worker's call alone.
 */
public class ExecutionControl {

    private final ControlCommands commands;
    private final CommandOutcomes outcomes;
    private final Clock clock;

    public ExecutionControl(ControlCommands commands, CommandOutcomes outcomes, Clock clock) {
        this.commands = commands;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /**
     * Publishes the command; once it is on the log, waits up to {@code wait} for its outcome. The stage fails with
     * {@link CommandRejectedException} if the worker rejected it within the wait, and with
     * {@link CommandNotPublishedException} if it could not be put on the log.
     */
    public CompletionStage<ControlResult> submit(String tenant, UUID executionId, CommandKind kind, String reason,
            Integer expectedAttempt, Duration wait) {
        return submit(UUID.randomUUID(), tenant, executionId, kind, reason, expectedAttempt, wait);
    }

    /**
     * As {@link #submit(String, UUID, CommandKind, String, Integer, Duration)}, under the caller's command id: a
     * command sent again with the same id (a retry after a timeout) is not decided twice, and gets the outcome it got.
     */
    public CompletionStage<ControlResult> submit(UUID commandId, String tenant, UUID executionId, CommandKind kind,
            String reason, Integer expectedAttempt, Duration wait) {
        ControlCommand command = new ControlCommand(commandId, executionId, tenant, kind, reason, expectedAttempt,
                clock.instant());
        if (wait.isZero()) {
            return commands.publish(command).thenApply(published -> new ControlResult(command, null));
        }
        // a copy of its own for each caller, so one caller's wait ending does not end another's
        CompletableFuture<CommandOutcome> outcome = outcomes.expect(command).copy();
        return commands.publish(command)
                .thenCompose(published -> outcome.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS))
                .thenApply(decided -> {
                    if (decided != null && !decided.accepted()) {
                        throw new CommandRejectedException(command, decided);
                    }
                    return new ControlResult(command, decided);
                })
                .whenComplete((result, failure) -> outcomes.forget(command));
    }
}
