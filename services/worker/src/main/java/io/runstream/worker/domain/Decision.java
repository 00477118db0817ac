package io.runstream.worker.domain;

import io.runstream.worker.flow.Effects;
import io.runstream.worker.flow.Timer;
import java.util.List;

/**
 * What the state machine decided for one input: the next state (null when nothing changes), the status changes to
 * publish, what the run asks of the world (task steps, timers, activities; null when it did not move), and timers
 * to drop without the run's say, when an execution ends outside it.
 */
public record Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped) {

    static Decision ignore() {
        return new Decision(null, List.of(), null, List.of());
    }

    public boolean changesState() {
        return next != null;
    }
}
