package io.runstream.worker.domain;

import java.time.Instant;

/**
 * Decides whether an input runs at all (see {@link Admission}), apart from the step, so that what is dropped, sent
 * again or quarantined is decided before the input is marked as in flight and never counts as a crash.
 */
final class Admissions {

    private final Ended ended;
    private final CommandStore commands;
    private final CrashCounts crashes;
    private final int quarantineAfterCrashes;
    private final Faults faults;

    Admissions(Ended ended, CommandStore commands, CrashCounts crashes, int quarantineAfterCrashes, Faults faults) {
        this.ended = ended;
        this.commands = commands;
        this.crashes = crashes;
        this.quarantineAfterCrashes = quarantineAfterCrashes;
        this.faults = faults;
    }

    Admission admit(WorkerInput input, Execution current, Instant now) {
        String key = input.executionId();
        ExecutionCommand command = input instanceof WorkerInput.Command c ? c.command() : null;
        if (command != null) {
            CommandOutcome earlier = commands.find(key, command.commandId(), now.toEpochMilli());
            if (earlier != null) {
                return new Admission.Repeat(again(earlier, command, now));
            }
        }
        if (command != null && current == null && !((WorkerInput.Command) input).startsRead()
                && command.kind() != ExecutionCommand.Kind.REDRIVE && !ended.contains(key, now)) {
            return new Admission.Hold();
        }
        // kept for redrive longer than the finished executions' retention: still finished
        if (current == null && command == null && ended.contains(key, now)) {
            return new Admission.Skip();
        }
        int crashed = crashes.count(key);
        boolean reopening = command != null && command.kind() == ExecutionCommand.Kind.REDRIVE;
        if (crashed >= quarantineAfterCrashes
                && (current != null || input instanceof WorkerInput.Start || reopening)) {
            ExecutionError error = new ExecutionError("QUARANTINED", "A worker instance stopped " + crashed
                    + " times while it processed this execution, so it is no longer run (see the workers' logs for"
                    + " what stopped them)");
            return new Admission.Quarantine(faults.fail(input, current, error, now), error);
        }
        return new Admission.Run();
    }

    /**
     * A command sent again with an id already decided for this execution: the same command gets the outcome it got,
     * and is not decided twice; another command under that id is refused.
     */
    static CommandOutcome again(CommandOutcome earlier, ExecutionCommand command, Instant now) {
        ExecutionCommand first = earlier.command();
        if (first.tenant().equals(command.tenant()) && first.kind() == command.kind()) {
            return earlier;
        }
        if (!first.tenant().equals(command.tenant())) {
            // another tenant's command: its execution is not this tenant's to know about
            return CommandOutcome.rejected(command, "EXECUTION_NOT_FOUND", "No execution " + command.executionId()
                    + " is known to the worker for this tenant", null, now);
        }
        return CommandOutcome.rejected(command, "COMMAND_ID_REUSED", "Command id " + command.commandId()
                + " was already used for another command of execution " + command.executionId()
                + "; send a new id for a new command", null, now);
    }
}
