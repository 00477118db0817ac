package io.runstream.worker.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.Definition;
import io.runstream.engine.Effects;
import io.runstream.engine.Machine;
import io.runstream.engine.Outcome;
import io.runstream.engine.Progress;
import io.runstream.engine.Seeds;
import io.runstream.engine.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides every transition of an execution from its current state and one input, and advances its run through the
 * {@link Machine}. Duplicates, stale results and inputs for finished executions change nothing, so the log can be
 * replayed safely.
 */
public final class ExecutionStateMachine {

    /** Outputs travel in one Kafka record (1 MB by default) with the rest of the status event. */
    static final int MAX_OUTPUT_BYTES = 900_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Machine machine;
    private final Duration redriveWindow;

    /** @param redriveWindow how long a failed execution may be redriven after it failed (for messages) */
    public ExecutionStateMachine(Machine machine, Duration redriveWindow) {
        this.machine = machine;
        this.redriveWindow = redriveWindow;
    }

    /** A request for an execution that already exists is a duplicate and is ignored; a new one starts running. */
    public Decision onRequested(Execution current, ExecutionRequest request, Definition definition, Instant now) {
        if (current != null) {
            return Decision.ignore();
        }
        Execution queued = Execution.queued(request);
        Execution running = queued.start(now);
        List<StatusChange> changes = new ArrayList<>();
        changes.add(new StatusChange(queued, request.requestedAt(), request.inputJson(), null, null,
                request.metadata() == null ? Map.of() : request.metadata()));
        Effects effects = machine.start(definition, running.progress(), input(running), now, seed(running));
        changes.add(new StatusChange(running, now, null, null, null, Map.of(),
                effects.outcome() == null && running.isWaiting() ? Phase.WAITING : null));
        return settle(running, effects, changes, now, running.isWaiting());
    }

    /**
     * A request that cannot run (its workflow is unknown, deactivated or its definition unreadable) is recorded, so
     * its requester can see it, and fails at once with the reason.
     */
    public Decision onRejected(Execution current, ExecutionRequest request, ExecutionError reason, Instant now) {
        if (current != null) {
            return Decision.ignore();
        }
        Execution queued = Execution.queued(request);
        Execution failed = queued.finish(ExecutionStatus.FAILED, now);
        return new Decision(failed, List.of(new StatusChange(queued, request.requestedAt(), request.inputJson(), null,
                null, request.metadata() == null ? Map.of() : request.metadata()),
                new StatusChange(failed, now, null, null, reason, Map.of())), null, List.of());
    }

    /** A runner's result: applied only if the run waits on that activity. */
    public Decision onActivityReported(Execution current, Definition definition, ActivityResult result,
            Instant now) {
        if (current != null && current.isLive() && current.isSuspended()) {
            return current.progress().activities().containsKey(result.activity())
                    ? hold(current, current.suspension().withResult(result)) : Decision.ignore();
        }
        return advance(current, progress -> machine.activityReported(definition, progress, input(current),
                result.activity(), result.response(), now, seed(current)), now);
    }

    /** A timer of the execution came due. */
    public Decision onTimer(Execution current, Definition definition, long timer, Instant now) {
        if (current != null && current.isLive() && current.isSuspended()) {
            return current.progress().timers().containsKey(timer)
                    ? hold(current, current.suspension().withTimer(timer)) : Decision.ignore();
        }
        return advance(current, progress -> machine.timerFired(definition, progress, input(current), timer, now,
                seed(current)), now);
    }

    /** The run yielded after {@code transitions} steps; a continuation it has moved on from is ignored. */
    public Decision onContinued(Execution current, Definition definition, long transitions, Instant now) {
        if (current == null || !current.isLive() || current.progress().transitions() != transitions) {
            return Decision.ignore();
        }
        if (current.isSuspended()) {
            return hold(current, current.suspension().withContinuation(transitions));
        }
        return advance(current, progress -> machine.resume(definition, progress, input(current), now,
                seed(current)), now);
    }

    /**
     * Stops a live execution: it ends CANCELLED with the caller's reason, its tasks cancelled and its timers and
     * activities dropped. A stop for an unknown or finished execution changes nothing.
     */
    public Decision onStopRequested(Execution current, Definition definition, StopRequest stop, Instant now) {
        // another tenant's stop names no execution of its own: ignored, as one for an unknown execution is
        if (current == null || current.status().isTerminal() || !current.tenant().equals(stop.tenant())) {
            return Decision.ignore();
        }
        Effects effects = current.progress() == null ? null
                : machine.cancel(definition, current.progress(), input(current), now, seed(current));
        Execution cancelled = current.finish(ExecutionStatus.CANCELLED, now);
        ExecutionError reason = new ExecutionError("CANCELLED", stop.reason() == null || stop.reason().isBlank()
                ? "Stopped on request" : stop.reason());
        return new Decision(cancelled, List.of(new StatusChange(cancelled, now, null, null, reason,
                Map.of())), effects, List.of());
    }

    /**
     * Decides a caller's command. Every command gets an outcome: accepted, or rejected with a code when the execution
     * is unknown to this tenant, has finished ({@code finishedAs}, from the finished executions), is in another
     * attempt than the command expects, or cannot take the command.
     *
     * @param finishedAs the terminal status the execution ended with, if it is no longer live here, else null
     */
    public Decision onCommand(Execution current, Definition definition, ExecutionCommand command,
            ExecutionStatus finishedAs, Instant now) {
        if (current == null || !current.tenant().equals(command.tenant())) {
            if (finishedAs != null && current == null) {
                return Decision.only(CommandOutcome.rejected(command, "EXECUTION_FINISHED", "Execution "
                        + command.executionId() + " has already finished " + finishedAs, finishedAs, now));
            }
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_NOT_FOUND", "No execution "
                    + command.executionId() + " is known to the worker for this tenant (or it ended longer ago"
                    + " than the worker's retention)", null, now));
        }
        if (current.status().isTerminal()) {
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_FINISHED", "Execution "
                    + command.executionId() + " has already finished " + current.status(), current.status(), now));
        }
        if (command.expectedAttempt() != null && command.expectedAttempt() != current.attempt()) {
            return Decision.only(CommandOutcome.rejected(command, "ATTEMPT_MISMATCH", "The command expects attempt "
                    + command.expectedAttempt() + " but execution " + command.executionId() + " is in attempt "
                    + current.attempt(), current.status(), now));
        }
        if (command.kind() == ExecutionCommand.Kind.STOP) {
            Decision stopped = onStopRequested(current, definition, new StopRequest(command.executionId(),
                    command.tenant(), command.reason(), now), now);
            return stopped.with(CommandOutcome.accepted(command, stopped.next(), now));
        }
        if (current.progress() == null) {
            return Decision.only(CommandOutcome.rejected(command, "COMMAND_NOT_SUPPORTED", "Execution "
                    + command.executionId() + " was started by a worker from before durable progress; it can only"
                    + " be stopped", current.status(), now));
        }
        if (command.kind() == ExecutionCommand.Kind.PAUSE) {
            return pause(current, command, now);
        }
        if (command.kind() == ExecutionCommand.Kind.RESUME) {
            return resume(current, command, now);
        }
        return Decision.only(CommandOutcome.rejected(command, "COMMAND_NOT_SUPPORTED", "This worker cannot "
                + (command.kind() == null ? "run a command of an unknown kind" : command.kind().name().toLowerCase(
                        java.util.Locale.ROOT) + " an execution") + " yet", current.status(), now));
    }

    /**
     * Pauses a running execution: it stops advancing, and its task and workflow timeouts leave the timer index (they
     * stay in its progress), so time spent paused does not count against them. An activity in flight still
     * completes; its result is held back, as are timers that come due, until it resumes.
     */
    private Decision pause(Execution current, ExecutionCommand command, Instant now) {
        if (current.isSuspended()) {
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_SUSPENDED", "Execution "
                    + command.executionId() + " is already paused (since " + current.suspension().since() + ")",
                    current.status(), now));
        }
        Execution paused = current.suspend(now);
        return new Decision(paused, List.of(new StatusChange(paused, now, null, null, null, Map.of())), null,
                current.progress().timeouts(), CommandOutcome.accepted(command, paused, now), null);
    }

    /**
     * Resumes a paused execution where it was: its timeouts move on by the time it was paused and go back in the
     * timer index, timers that came due meanwhile fire at once, and held-back results and continuations are sent to
     * it again. A lease whose activity's result was held back is not fired: the result is on its way.
     */
    private Decision resume(Execution current, ExecutionCommand command, Instant now) {
        if (!current.isSuspended()) {
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_NOT_SUSPENDED", "Execution "
                    + command.executionId() + " is not paused", current.status(), now));
        }
        Suspension held = current.suspension();
        Progress progress = current.progress();
        Duration paused = held.since().isBefore(now) ? Duration.between(held.since(), now) : Duration.ZERO;
        List<Timer> back = new ArrayList<>(progress.shiftTimeouts(paused));
        Set<Long> reported = new HashSet<>();
        held.results().forEach(r -> reported.add(r.activity()));
        for (long seq : held.timers()) {
            Timer timer = progress.timers().get(seq);
            boolean answered = timer != null && timer.kind() == Timer.Kind.ACTIVITY_LEASE && progress.activities()
                    .values().stream().anyMatch(a -> a.leaseTimer() == seq && reported.contains(a.seq()));
            if (timer != null && !answered) {
                back.add(timer);
            }
        }
        Execution resumed = current.resume(now);
        return new Decision(resumed, List.of(new StatusChange(resumed, now, null, null, null, Map.of(),
                resumed.isWaiting() ? Phase.WAITING : null)), null,
                List.of(), CommandOutcome.accepted(command, resumed, now),
                new Decision.Release(back, held.results(), held.continuation()));
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
    public Decision onRedrive(Execution current, Execution failed, Definition definition, ExecutionCommand command,
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
        Effects effects = machine.redrive(definition, reopened.progress(), input(reopened), failedFor, now,
                seed(reopened));
        List<StatusChange> changes = new ArrayList<>();
        changes.add(new StatusChange(reopened, now, null, null, null, Map.of(),
                effects.outcome() == null && reopened.isWaiting() ? Phase.WAITING : null));
        Decision decision = settle(reopened, effects, changes, now, reopened.isWaiting());
        return decision.with(CommandOutcome.accepted(command, decision.next(), now));
    }

    private static Decision notRedrivable(ExecutionCommand command, ExecutionStatus status, String message,
            Instant now) {
        return Decision.only(CommandOutcome.rejected(command, "EXECUTION_NOT_REDRIVABLE", message, status, now));
    }

    /** A command that met a failure of its execution instead (the execution ended with {@code error}). */
    public Decision refuse(Decision ending, ExecutionCommand command, ExecutionError error, Instant now) {
        ExecutionStatus status = ending.next() == null ? null : ending.next().status();
        return ending.with(CommandOutcome.rejected(command, error.code(), error.message(), status, now));
    }

    /**
     * Something failed that belongs to this execution alone (an engine fault, an unreadable definition, progress too
     * large to store): it ends FAILED with that code, and every timer it held is dropped. If {@code redrivable}, a
     * redrive goes on from its progress as it was before the input that failed: whatever that input was waits to
     * happen again (an activity is dispatched again, a timer fires again).
     */
    public Decision onFault(Execution current, ExecutionError error, Instant now, boolean redrivable) {
        if (current == null || current.status().isTerminal()) {
            return Decision.ignore();
        }
        Execution failed = current.finish(ExecutionStatus.FAILED, now, redrivable ? current.progress() : null);
        return new Decision(failed, List.of(new StatusChange(failed, now, null, null, error, Map.of())), null,
                current.progress() == null ? List.of() : List.copyOf(current.progress().timers().values()));
    }

    /** A paused execution keeps the input for when it resumes; nothing is published. */
    private static Decision hold(Execution current, Suspension more) {
        return new Decision(current.holding(more), List.of(), null, List.of());
    }

    private Decision advance(Execution current, Function<Progress, Effects> step, Instant now) {
        if (current == null || !current.isLive()) {
            return Decision.ignore();
        }
        boolean waiting = current.isWaiting();
        Effects effects = step.apply(current.progress());
        if (!effects.moved()) {
            return Decision.ignore();
        }
        return settle(current, effects, new ArrayList<>(), now, waiting);
    }

    /**
     * Publishes how the run ended, if it did; otherwise, when it started or stopped waiting on timers alone (it
     * was {@code waiting} before this input), a RUNNING event with its phase.
     */
    private static Decision settle(Execution running, Effects effects, List<StatusChange> changes, Instant now,
            boolean waiting) {
        Outcome outcome = effects.outcome();
        if (outcome == null) {
            if (running.isWaiting() == waiting || running.isSuspended()) {
                return new Decision(running, changes, effects, List.of());
            }
            Execution moved = running.touch(now);
            changes.add(new StatusChange(moved, now, null, null, null, Map.of(),
                    moved.isWaiting() ? Phase.WAITING : null));
            return new Decision(moved, changes, effects, List.of());
        }
        String output = null;
        ExecutionError error = null;
        ExecutionStatus status;
        if (outcome instanceof Outcome.Succeeded succeeded) {
            output = write(succeeded.output());
            status = ExecutionStatus.SUCCEEDED;
            int bytes = output.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_OUTPUT_BYTES) {
                status = ExecutionStatus.FAILED;
                error = new ExecutionError("OUTPUT_TOO_LARGE", "The workflow output is " + bytes
                        + " bytes; at most " + MAX_OUTPUT_BYTES + " fit in a status event. Shape it with "
                        + "output.as");
                output = null;
            }
        } else if (outcome instanceof Outcome.TimedOut timedOut) {
            status = ExecutionStatus.TIMED_OUT;
            error = new ExecutionError("WORKFLOW_TIMEOUT", timedOut.message());
        } else {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            status = ExecutionStatus.FAILED;
            error = new ExecutionError(failed.code(), failed.message());
        }
        // a run that succeeded has no redrive point, so an output too large to publish is not redriven either
        Execution finished = running.finish(status, now, effects.redrivePoint());
        changes.add(new StatusChange(finished, now, null, output, error, Map.of()));
        return new Decision(finished, changes, effects, List.of());
    }

    /** The randomness of the execution's current run (see {@link Seeds}). */
    private static long seed(Execution execution) {
        return Seeds.of(execution.executionId(), execution.redriveCount());
    }

    private static JsonNode input(Execution execution) {
        try {
            return JSON.readTree(execution.inputJson());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Execution input is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
