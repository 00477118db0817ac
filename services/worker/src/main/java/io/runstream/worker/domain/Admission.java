package io.runstream.worker.domain;

/**
 * Whether an input is run at all, decided before the run is stepped (and before the input is marked as in flight):
 * an input of a finished execution is dropped, a command already decided gets its outcome again, and an execution
 * that keeps crashing worker instances is quarantined instead of run.
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

    /** Run the input: step the execution. */
    record Run() implements Admission {
    }
}
