package io.runstream.worker.domain;

import io.runstream.worker.flow.Effects;
import io.runstream.worker.flow.Timer;
import java.util.List;

/**
 * What the state machine decided for one input: the next state (null when nothing changes), the status changes to
 * publish, what the run asks of the world (task steps, timers, activities; null when it did not move), timers
 * to drop without the run's say, when an execution ends outside it, and, for a command, its outcome.
 */
public record Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped,
        CommandOutcome outcome) {

    public Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped) {
        this(next, changes, effects, dropped, null);
    }

    static Decision ignore() {
        return new Decision(null, List.of(), null, List.of());
    }

    /** Only the outcome of a command that changed nothing. */
    static Decision only(CommandOutcome outcome) {
        return new Decision(null, List.of(), null, List.of(), outcome);
    }

    Decision with(CommandOutcome outcome) {
        return new Decision(next, changes, effects, dropped, outcome);
    }

    public boolean changesState() {
        return next != null;
    }
}
