package io.runstream.worker.domain;

import io.runstream.engine.Definition;
import io.runstream.engine.Definitions;
import java.time.Instant;

/**
 * Decides everything one input does to one execution, from the input and the stored state: whether it runs at all
 * ({@link #admit}), what it changes ({@link #decide}, one handler per kind of input), and how the execution ends when
 * the step failed ({@link #fault}). The Streams processor only maps records to inputs, loads, calls this and writes.
 */
public final class ExecutionInputs {

    private final ExecutionStateMachine machine;
    private final Definitions definitions = new Definitions(1_000);
    private final DefinitionStore catalog;
    private final Ended ended;
    private final Faults faults;
    private final Admissions admissions;
    private final Starts starts;
    private final SizeLimit sizeLimit;

    /**
     * @param quarantineAfterCrashes how many crashed instances quarantine an execution
     * @param maxStateBytes the most an execution's stored state may take (PROGRESS_TOO_LARGE past it)
     */
    public ExecutionInputs(ExecutionStateMachine machine, Ports ports, int quarantineAfterCrashes,
            long maxStateBytes) {
        this.machine = machine;
        this.catalog = ports.definitions();
        this.ended = new Ended(ports.finished(), ports.redrivable());
        this.faults = new Faults(machine);
        this.admissions = new Admissions(ended, ports.commands(), ports.crashes(), quarantineAfterCrashes, faults);
        this.starts = new Starts(machine, definitions, catalog);
        this.sizeLimit = new SizeLimit(machine, ports.sizes(), maxStateBytes);
    }

    /** The stores the decisions read, behind their ports. */
    public record Ports(DefinitionStore definitions, FinishedStore finished, RedriveStore redrivable,
            CommandStore commands, CrashCounts crashes, StateSizes sizes) {
    }

    /** Whether the input runs, is dropped, gets a command's earlier outcome again, or is quarantined. */
    public Admission admit(WorkerInput input, Execution current, Instant now) {
        return admissions.admit(input, current, now);
    }

    /**
     * What the input changes, within the bound on the state's size; it may throw if the engine fails on it (see
     * {@link #fault}).
     */
    public Decision decide(WorkerInput input, Execution current, Instant now) {
        return sizeLimit.bound(input.accept(new Handlers(current, now)), now);
    }

    /** The input failed in the engine: the execution, as stored now, ends FAILED with ENGINE_ERROR. */
    public Decision fault(WorkerInput input, Execution stored, Throwable failure, Instant now) {
        ExecutionError error = new ExecutionError("ENGINE_ERROR", "The engine failed on this execution: " + failure);
        return faults.fail(input, stored, error, now);
    }

    /**
     * The correlation index key of a listen an event was routed to that the execution ({@code current}, as the event
     * found it) no longer has: it ended, or the listen closed and the index had not caught up. The index should drop
     * it. Empty for any other input.
     */
    public java.util.Optional<String> staleListen(WorkerInput input, Execution current) {
        if (!(input instanceof WorkerInput.Event event) || event.delivery().subscription() == 0) {
            return java.util.Optional.empty();
        }
        boolean held = current != null && current.isLive() && current.progress() != null
                && current.progress().subscriptions().containsKey(event.delivery().subscription());
        return held ? java.util.Optional.empty() : java.util.Optional.ofNullable(event.delivery().indexKey());
    }

    /** What a decision that ends a subflow tells its parent; empty for any other. */
    public java.util.Optional<ChildEnd> childEnd(Decision decision) {
        return ChildEnds.of(decision);
    }

    /**
     * Whether its workflow's schedule waits for the end of each run it starts ({@code schedule.after}), so the end
     * of this execution is reported to the scheduler.
     */
    public boolean endIsAwaited(Execution ended) {
        if (ended == null || ended.definition() == null) {
            return false;
        }
        try {
            return definitions.get(ended.definition(), () -> catalog.text(ended.definition())).schedule()
                    .filter(io.runstream.engine.Schedule.After.class::isInstance).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The definition a live execution runs, compiled once and cached by its text's reference. */
    Definition definition(Execution execution) {
        if (execution == null || !execution.isLive()) {
            return null;
        }
        return definitions.get(execution.definition(), () -> catalog.text(execution.definition()));
    }

    /** One handler per kind of input, for one input of one execution. */
    private final class Handlers implements WorkerInput.Handler<Decision> {

        private final Execution current;
        private final Instant now;

        Handlers(Execution current, Instant now) {
            this.current = current;
            this.now = now;
        }

        @Override
        public Decision start(WorkerInput.Start start) {
            return current != null ? machine.onRequested(current, start.request(), null, now)
                    : starts.start(start.request(), now);
        }

        @Override
        public Decision command(WorkerInput.Command input) {
            ExecutionCommand command = input.command();
            if (command.kind() == ExecutionCommand.Kind.REDRIVE) {
                return redrive(command);
            }
            return machine.onCommand(current, definition(current), command,
                    current == null ? ended.finishedAs(command.executionId(), command.tenant(), now) : null, now);
        }

        @Override
        public Decision stop(WorkerInput.Stop stop) {
            return machine.onStopRequested(current, current == null || current.progress() == null ? null
                    : definition(current), stop.request(), now);
        }

        @Override
        public Decision report(WorkerInput.Report report) {
            return machine.onActivityReported(current, definition(current), report.result(), now);
        }

        @Override
        public Decision timer(WorkerInput.TimerDue timer) {
            return machine.onTimer(current, definition(current), timer.timer(), now);
        }

        @Override
        public Decision continuation(WorkerInput.Continuation continuation) {
            return machine.onContinued(current, definition(current), continuation.transitions(), now);
        }

        @Override
        public Decision event(WorkerInput.Event event) {
            return machine.onEvent(current, definition(current), event.delivery(), now);
        }

        @Override
        public Decision childEnded(WorkerInput.ChildEnded ended) {
            return machine.onChildEnded(current, definition(current), ended.end(), now);
        }

        /** A live execution cannot be redriven; one that failed is looked up among those kept for redrive. */
        private Decision redrive(ExecutionCommand command) {
            Execution failed = current == null ? ended.redrivable(command.executionId(), now) : null;
            ExecutionStatus finishedAs = current == null && failed == null
                    ? ended.finishedAs(command.executionId(), command.tenant(), now) : null;
            Definition definition = failed == null ? null
                    : definitions.get(failed.definition(), () -> catalog.text(failed.definition()));
            return machine.onRedrive(current, failed, definition, command, finishedAs, now);
        }
    }
}
