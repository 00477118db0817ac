package io.runstream.worker.domain;

/**
 * Whether an input is run at all, decided before the run is stepped (and before the input is marked as in flight):
 * an input of a finished execution is dropped, a command already decided gets its outcome again, a command for an
 * execution not seen yet waits for its start, and an execution that keeps crashing worker instances is quarantined
 * instead of run.
 */
public sealed interface Admission {

    /** Nothing to do: the execution finished, and the input is late or a duplicate. */
    record Skip() implements Admission {
    }

    /** A command with an id already decided: its outcome, sent again and not remembered again. */
    record Repeat(CommandOutcome outcome) implements Admission {
    }

    /** The execution is quarantined: this decision ends it (or records a new one as rejected), and is not run. */
    record Quarantine(Decision decision, ExecutionError error) implements Admission {
    }

    /**
     * A command for an execution this worker has not seen, live or finished: its start may still be on its way,
     * since starts and commands come on different topics, and either may be read ahead of the other (after a broker
     * restart, for one). It is decided once every start sent before it has been read, as unknown if it is still
     * unknown then.
     */
    record Hold() implements Admission {
    }

    /** Run the input: step the execution. */
    record Run() implements Admission {
    }
}
