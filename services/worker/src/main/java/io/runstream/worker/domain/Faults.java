package io.runstream.worker.domain;

import java.time.Instant;

/**
 * How an input ends its execution when it cannot run (quarantined) or failed in the engine: the execution fails
 * (or a new one is recorded as rejected), and a command it came with is refused with the same error.
 */
final class Faults {

    private final ExecutionStateMachine machine;

    Faults(ExecutionStateMachine machine) {
        this.machine = machine;
    }

    /**
     * Ends the execution (or records a new one as rejected) with the error; a command it came with is refused. An
     * engine fault may be redriven (from before the input it failed on), after a fix; a quarantine may not.
     */
    Decision fail(WorkerInput input, Execution current, ExecutionError error, Instant now) {
        Decision decision = current == null && input instanceof WorkerInput.Start start
                ? machine.onRejected(null, start.request(), error, now)
                : machine.onFault(current, error, now, "ENGINE_ERROR".equals(error.code()));
        return input instanceof WorkerInput.Command command
                ? machine.refuse(decision, command.command(), error, now) : decision;
    }
}
