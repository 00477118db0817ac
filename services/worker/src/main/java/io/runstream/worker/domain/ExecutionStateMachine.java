package io.runstream.worker.domain;

import io.runstream.engine.Activity;
import io.runstream.engine.Definition;
import io.runstream.engine.Effects;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.Machine;
import io.runstream.engine.Progress;
import io.runstream.engine.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides every transition of an execution from its current state and one input, and advances its run through the
 * {@link Machine}. Duplicates, stale results and inputs for finished executions change nothing, so the log can be
 * replayed safely.
 */
public final class ExecutionStateMachine {

    private final Machine machine;
    private final Redrives redrives;

    /** @param redriveWindow how long a failed execution may be redriven after it failed (for messages) */
    public ExecutionStateMachine(Machine machine, Duration redriveWindow) {
        this.machine = machine;
        this.redrives = new Redrives(machine, redriveWindow);
    }

    /** A request for an execution that already exists is a duplicate and is ignored; a new one starts running. */
    public Decision onRequested(Execution current, ExecutionRequest request, Definition definition, Instant now) {
        if (current != null) {
            return Decision.ignore();
        }
        Execution queued = Execution.queued(request);
        Execution running = queued.start(now, request.hops());
        List<StatusChange> changes = new ArrayList<>();
        changes.add(new StatusChange(queued, request.requestedAt(), request.inputJson(), null, null,
                request.metadata() == null ? Map.of() : request.metadata()));
        long before = StatusChange.steps(running.progress());
        Effects effects = machine.start(definition, running.progress(), Runs.input(running), now, Runs.seed(running));
        // RUNNING came before the steps its first turn took, though its phase is known only after it
        changes.add(new StatusChange(running, now, null, null, null, Map.of(),
                effects.outcome() == null && running.isWaiting() ? Phase.WAITING : null).after(before));
        return Runs.settle(running, effects, changes, now, Runs.waitingOn(running));
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

    /**
     * A runner's result: applied only if the run waits on that activity, and, from a dispatch the worker has since
     * replaced, only if it brings the callee's answer (see {@link #supersededWithoutAnswer}).
     */
    public Decision onActivityReported(Execution current, Definition definition, ActivityResult result,
            Instant now) {
        if (supersededWithoutAnswer(current, result, now)) {
            return Decision.ignore();
        }
        if (current != null && current.isLive() && current.isSuspended()) {
            return current.progress().activities().containsKey(result.activity())
                    ? hold(current, current.suspension().withResult(result)) : Decision.ignore();
        }
        return advance(current, progress -> machine.activityReported(definition, progress, Runs.input(current),
                result.activity(), result.response(), now, Runs.seed(current)), now);
    }

    /**
     * Whether the result has no answer from the callee (it timed out, or found no connection) and is of a dispatch
     * the activity's lease has since replaced, or whose lease ran out before the report was read (a worker back from
     * a stall puts a lease off while it reads what came meanwhile, then dispatches it again): the newer dispatch calls
     * again under the same key and reports for it. Such a report is what a runner frozen or cut off past its lease
     * says when it wakes (its call's deadline passed while it stood still), and it is not the callee's failure. A call
     * ends within its lease when its runner runs, so a failure read after the lease is never the callee's alone.
     */
    private static boolean supersededWithoutAnswer(Execution current, ActivityResult result, Instant now) {
        if (current == null || current.progress() == null) {
            return false;
        }
        Activity activity = current.progress().activities().get(result.activity());
        HttpResponse.Failure failure = result.response().failure();
        if (activity == null || failure != HttpResponse.Failure.TIMED_OUT
                && failure != HttpResponse.Failure.UNREACHABLE) {
            return false;
        }
        Timer lease = current.progress().timers().get(activity.leaseTimer());
        return result.dispatch() < activity.dispatches() || lease != null && !lease.due().isAfter(now);
    }

    /** A timer of the execution came due. */
    public Decision onTimer(Execution current, Definition definition, long timer, Instant now) {
        if (current != null && current.isLive() && current.isSuspended()) {
            return current.progress().timers().containsKey(timer)
                    ? hold(current, current.suspension().withTimer(timer)) : Decision.ignore();
        }
        return advance(current, progress -> machine.timerFired(definition, progress, Runs.input(current), timer, now,
                Runs.seed(current)), now);
    }

    /**
     * An event for one of the execution's listens, or sent to it alone: applied only if it is the execution's
     * tenant's and the execution still has that listen (the execution is the authority; the index may lag). A paused
     * execution keeps it for when it resumes. A probe (no event, see {@link ExecutionInputs#staleListen}) changes
     * nothing.
     */
    public Decision onEvent(Execution current, Definition definition, EventDelivery delivery, Instant now) {
        if (delivery.probe() || current == null || !current.isLive() || current.progress() == null
                || !current.tenant().equals(delivery.tenant()) || delivery.subscription() != 0
                && !current.progress().subscriptions().containsKey(delivery.subscription())) {
            return Decision.ignore();
        }
        if (current.isSuspended()) {
            return hold(current, current.suspension().withEvent(delivery));
        }
        if (delivery.refused()) {
            return advance(current, progress -> machine.listenRefused(definition, progress, Runs.input(current),
                    delivery.subscription(), now, Runs.seed(current)), now);
        }
        return advance(current, progress -> machine.eventDelivered(definition, progress, Runs.input(current),
                delivery.subscription(), delivery.event(), now, Runs.seed(current)), now);
    }

    /**
     * A subflow this execution started ended: applied only if it is the execution's tenant's and the run still waits
     * on that child (a child it stopped, or one a redrive replaced, changes nothing). A paused execution keeps it for
     * when it resumes.
     */
    public Decision onChildEnded(Execution current, Definition definition, ChildEnd end, Instant now) {
        if (current == null || !current.isLive() || !current.tenant().equals(end.tenant())
                || current.progress().children().values().stream()
                .noneMatch(child -> child.executionId().equals(end.child()))) {
            return Decision.ignore();
        }
        if (current.isSuspended()) {
            return hold(current, current.suspension().withChild(end));
        }
        return advance(current, progress -> machine.childEnded(definition, progress, Runs.input(current),
                end.child(), end.outcome(), now, Runs.seed(current)), now);
    }

    /** The run yielded after {@code transitions} steps; a continuation it has moved on from is ignored. */
    public Decision onContinued(Execution current, Definition definition, long transitions, Instant now) {
        if (current == null || !current.isLive() || current.progress().transitions() != transitions) {
            return Decision.ignore();
        }
        if (current.isSuspended()) {
            return hold(current, current.suspension().withContinuation(transitions));
        }
        return advance(current, progress -> machine.resume(definition, progress, Runs.input(current), now,
                Runs.seed(current)), now);
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
                : machine.cancel(definition, current.progress(), Runs.input(current), now, Runs.seed(current));
        Execution cancelled = current.finish(ExecutionStatus.CANCELLED, now);
        ExecutionError reason = new ExecutionError("CANCELLED", stop.reason() == null || stop.reason().isBlank()
                ? "Stopped on request" : stop.reason());
        return new Decision(cancelled, List.of(new StatusChange(cancelled, now, null, null, reason,
                Map.of()).after(Runs.stepsTaken(current, effects))), effects, List.of(), null, null,
                current.sequence());
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
            return Suspensions.pause(current, command, now);
        }
        if (command.kind() == ExecutionCommand.Kind.RESUME) {
            return Suspensions.resume(current, command, now);
        }
        return Decision.only(CommandOutcome.rejected(command, "COMMAND_NOT_SUPPORTED", "This worker cannot "
                + (command.kind() == null ? "run a command of an unknown kind" : command.kind().name().toLowerCase(
                        java.util.Locale.ROOT) + " an execution") + " yet", current.status(), now));
    }

    /**
     * Decides a redrive (see {@link Redrives#decide}).
     *
     * @param current the execution if it is live, else null
     * @param failed the execution as it failed, if it is kept for redrive, else null
     * @param finishedAs the terminal status it ended with, if the finished executions still know it, else null
     * @param definition the definition {@code failed} runs, or null without it
     */
    public Decision onRedrive(Execution current, Execution failed, Definition definition, ExecutionCommand command,
            ExecutionStatus finishedAs, Instant now) {
        return redrives.decide(current, failed, definition, command, finishedAs, now);
    }

    /** A command that met a failure of its execution instead (the execution ended with {@code error}). */
    public Decision refuse(Decision ending, ExecutionCommand command, ExecutionError error, Instant now) {
        ExecutionStatus status = ending.next() == null ? null : ending.next().status();
        return ending.with(CommandOutcome.rejected(command, error.code(), error.message(), status, now));
    }

    /**
     * Something failed that belongs to this execution alone (an engine fault, an unreadable definition, progress too
     * large to store): it ends FAILED with that code, every timer it held is dropped, and the subflows it waited on
     * are stopped. If {@code redrivable}, a redrive goes on from its progress as it was before the input that failed:
     * whatever that input was waits to happen again (an activity is dispatched again, a timer fires again, a task
     * that waited on a subflow runs again).
     */
    public Decision onFault(Execution current, ExecutionError error, Instant now, boolean redrivable) {
        if (current == null || current.status().isTerminal()) {
            return Decision.ignore();
        }
        Execution failed = current.finish(ExecutionStatus.FAILED, now, redrivable ? current.progress() : null);
        StatusChange change = new StatusChange(failed, now, null, null, error, Map.of())
                .after(StatusChange.steps(current.progress()));
        Decision decision = new Decision(failed, List.of(change), null,
                current.progress() == null ? List.of() : List.copyOf(current.progress().timers().values()));
        // no turn ran to stop the subflows it waited on: they are stopped as its timers are dropped
        return current.progress() == null ? decision
                : decision.orphaning(List.copyOf(current.progress().children().values()));
    }

    /** A paused execution keeps the input for when it resumes; nothing is published. */
    private static Decision hold(Execution current, Suspension more) {
        return new Decision(current.holding(more), List.of(), null, List.of());
    }

    private Decision advance(Execution current, Function<Progress, Effects> step, Instant now) {
        if (current == null || !current.isLive()) {
            return Decision.ignore();
        }
        // the step changes the progress in place: what it waited on is taken before
        List<ListenWait> before = Runs.waitingOn(current);
        Effects effects = step.apply(current.progress());
        if (!effects.moved()) {
            return Decision.ignore();
        }
        return Runs.settle(current, effects, new ArrayList<>(), now, before);
    }

}
