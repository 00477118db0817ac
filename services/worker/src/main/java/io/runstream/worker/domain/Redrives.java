package io.runstream.worker.domain;

import io.runstream.engine.Definition;
import io.runstream.engine.Effects;
import io.runstream.engine.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Redrive: a failed or timed-out execution reopens where its failure arose, or the command says why it cannot. */
final class Redrives {

    private final Machine machine;
    private final Duration redriveWindow;

    Redrives(Machine machine, Duration redriveWindow) {
        this.machine = machine;
        this.redriveWindow = redriveWindow;
    }

    /**
     * Decides a redrive. A FAILED or TIMED_OUT execution kept with its redrive point ({@code failed}, for the redrive
     * window) reopens RUNNING where its failure arose: the task that failed runs again, everything it had completed
     * stays done, and the status sequence goes on with one more redrive. Anything else is rejected with
     * EXECUTION_NOT_REDRIVABLE: a live execution, one that succeeded or was cancelled, one whose failure left nothing
     * to go on from (a limit, a quarantine), and one not known within the window.
     *
     * @param current the execution if it is live, else null
     * @param failed the execution as it failed, if it is kept for redrive, else null
     * @param finishedAs the terminal status it ended with, if the finished executions still know it, else null
     * @param definition the definition {@code failed} runs, or null without it
     */
    Decision decide(Execution current, Execution failed, Definition definition, ExecutionCommand command,
            ExecutionStatus finishedAs, Instant now) {
        String id = command.executionId();
        if (current != null && current.tenant().equals(command.tenant())) {
            return notRedrivable(command, current.status(), "Execution " + id + " is " + current.status()
                    + (current.isSuspended() ? " (paused; resume it)" : "") + "; only a FAILED or TIMED_OUT"
                    + " execution can be redriven", now);
        }
        if (failed == null || !failed.tenant().equals(command.tenant())) {
            String why = finishedAs == null ? "No execution " + id + " that failed or timed out within the redrive"
                    + " window (" + redriveWindow + ") is known to the worker for this tenant"
                    : finishedAs == ExecutionStatus.FAILED || finishedAs == ExecutionStatus.TIMED_OUT
                    ? "Execution " + id + " ended " + finishedAs + " in a way a redrive cannot go on from (a limit"
                    + " such as STEP_LIMIT_EXCEEDED or OUTPUT_TOO_LARGE, or a quarantine), or longer ago than the"
                    + " redrive window (" + redriveWindow + ")"
                    : "Execution " + id + " ended " + finishedAs + "; only a FAILED or TIMED_OUT execution can be"
                    + " redriven";
            return notRedrivable(command, finishedAs, why, now);
        }
        if (command.expectedAttempt() != null && command.expectedAttempt() != failed.attempt()) {
            return Decision.only(CommandOutcome.rejected(command, "ATTEMPT_MISMATCH", "The command expects attempt "
                    + command.expectedAttempt() + " but execution " + id + " is in attempt " + failed.attempt(),
                    failed.status(), now));
        }
        Execution reopened = failed.redrive(now);
        Duration failedFor = failed.updatedAt().isBefore(now) ? Duration.between(failed.updatedAt(), now)
                : Duration.ZERO;
        long before = StatusChange.steps(reopened.progress());
        Effects effects = machine.redrive(definition, reopened.progress(), Runs.input(reopened), failedFor, now,
                Runs.seed(reopened));
        List<StatusChange> changes = new ArrayList<>();
        changes.add(new StatusChange(reopened, now, null, null, null, Map.of(),
                effects.outcome() == null && reopened.isWaiting() ? Phase.WAITING : null).after(before));
        Decision decision = Runs.settle(reopened, effects, changes, now, Runs.waitingOn(reopened));
        return decision.with(CommandOutcome.accepted(command, decision.next(), now));
    }

    private static Decision notRedrivable(ExecutionCommand command, ExecutionStatus status, String message,
            Instant now) {
        return Decision.only(CommandOutcome.rejected(command, "EXECUTION_NOT_REDRIVABLE", message, status, now));
    }
}
