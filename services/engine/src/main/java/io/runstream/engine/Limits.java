package io.runstream.engine;

import java.time.Duration;

/**
 * Bounds on what one execution may cost.
 *
 * @param stepBudget signals handled per input before the machine yields, so other executions get their turn
 * @param maxSteps signals handled over an execution's life, beyond which it fails with STEP_LIMIT_EXCEEDED
 * @param activityLease how long a runner has to report an activity before it is dispatched again (doubling each time)
 * @param maxDispatches dispatches of one activity before the execution fails with ACTIVITY_LOST
 * @param signalHold how long an event sent to an execution alone waits for a {@code listen} that takes it
 * @param maxHeld how many such events an execution holds at most (the oldest goes first)
 * @param eventBuffer how long before a listen opened an event may have arrived and still reach it: an execution
 *     remembers the events it consumed this long, so a later listen of it is not given them again
 * @param maxHops how long a chain of events may grow: an {@code emit} whose event would follow more events emitted
 *     one after another (each consumed or starting a run that emits the next) fails, so workflows that answer each
 *     other's events cannot loop forever
 * @param maxSubflowDepth how deep subflows may nest: a {@code run: workflow} whose child would be deeper (an
 *     execution no other started is at depth 0, its child at 1) fails, so a workflow that starts itself stops
 */
public record Limits(int stepBudget, long maxSteps, Duration activityLease, int maxDispatches, Duration signalHold,
        int maxHeld, Duration eventBuffer, int maxHops, int maxSubflowDepth) {

    /** The default longest chain of events. */
    public static final int MAX_HOPS = 16;
    /** The default deepest nesting of subflows. */
    public static final int MAX_SUBFLOW_DEPTH = 10;

    /** Limits with the default deepest nesting of subflows. */
    public Limits(int stepBudget, long maxSteps, Duration activityLease, int maxDispatches, Duration signalHold,
            int maxHeld, Duration eventBuffer, int maxHops) {
        this(stepBudget, maxSteps, activityLease, maxDispatches, signalHold, maxHeld, eventBuffer, maxHops,
                MAX_SUBFLOW_DEPTH);
    }

    /** Limits with the default longest chain of events. */
    public Limits(int stepBudget, long maxSteps, Duration activityLease, int maxDispatches, Duration signalHold,
            int maxHeld, Duration eventBuffer) {
        this(stepBudget, maxSteps, activityLease, maxDispatches, signalHold, maxHeld, eventBuffer, MAX_HOPS);
    }

    public static final Limits DEFAULT = new Limits(1_000, 100_000, Duration.ofSeconds(60), 3);

    /** Limits that hold signals for five minutes, at most 100 of them, and keep events five minutes for listens. */
    public Limits(int stepBudget, long maxSteps, Duration activityLease, int maxDispatches) {
        this(stepBudget, maxSteps, activityLease, maxDispatches, Duration.ofMinutes(5), 100, Duration.ofMinutes(5));
    }
}
