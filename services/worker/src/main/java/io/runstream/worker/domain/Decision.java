package io.runstream.worker.domain;

import io.runstream.engine.Child;
import io.runstream.engine.Effects;
import io.runstream.engine.TaskStep;
import io.runstream.engine.Timer;
import java.util.List;

/**
 * What the state machine decided for one input: the next state (null when nothing changes), the status changes to
 * publish, what the run asks of the world (task steps, timers, activities; null when it did not move), timers
 * to drop without the run's say, when an execution ends or pauses outside it, for a command, its outcome, and for a
 * resume, what the pause held back.
 *
 * @param stepsAfter the status sequence the run's task steps came after: a step's ordinal is it plus the step's
 *     number (see {@link StatusChange})
 * @param orphans subflows to stop without the run's say: those it waited on when it ended outside it (a fault, a
 *     limit, a quarantine)
 */
public record Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped,
        CommandOutcome outcome, Release release, long stepsAfter, List<Child> orphans) {

    public Decision {
        orphans = orphans == null ? List.of() : List.copyOf(orphans);
    }

    /** A decision that stops no subflow without the run's say. */
    public Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped,
            CommandOutcome outcome, Release release, long stepsAfter) {
        this(next, changes, effects, dropped, outcome, release, stepsAfter, List.of());
    }

    public Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped) {
        this(next, changes, effects, dropped, null, null);
    }

    /** A decision whose task steps, if any, came after the status of {@code next}. */
    public Decision(Execution next, List<StatusChange> changes, Effects effects, List<Timer> dropped,
            CommandOutcome outcome, Release release) {
        this(next, changes, effects, dropped, outcome, release, next == null ? 0 : next.sequence());
    }

    /** Where a task step of this decision's run stands among everything the execution publishes. */
    public long ordinal(TaskStep step) {
        return stepsAfter + step.sequence();
    }

    /**
     * What a resume hands back to the run: timers to put back in the timer index (moved timeouts, and timers that
     * came due while paused, which fire at once), and held-back inputs to send to itself again.
     *
     * @param continuation the transitions of a continuation held back, or null
     * @param events events held back
     * @param children ends of subflows held back
     */
    public record Release(List<Timer> timers, List<ActivityResult> results, Long continuation,
            List<EventDelivery> events, List<ChildEnd> children) {
    }

    static Decision ignore() {
        return new Decision(null, List.of(), null, List.of());
    }

    /** Only the outcome of a command that changed nothing. */
    static Decision only(CommandOutcome outcome) {
        return new Decision(null, List.of(), null, List.of(), outcome, null);
    }

    Decision with(CommandOutcome outcome) {
        return new Decision(next, changes, effects, dropped, outcome, release, stepsAfter, orphans);
    }

    /** The same decision, stopping these subflows too. */
    Decision orphaning(List<Child> children) {
        return new Decision(next, changes, effects, dropped, outcome, release, stepsAfter, children);
    }

    public boolean changesState() {
        return next != null;
    }
}
