package io.runstream.engine;

import java.time.Duration;

/**
 * Bounds on what one execution may cost.
 *
 * @param stepBudget signals handled per input before the machine yields, so other executions get their turn
 * @param maxSteps signals handled over an execution's life, beyond which it fails with STEP_LIMIT_EXCEEDED
 * @param activityLease how long a runner has to report an activity before it is dispatched again (doubling each time)
 * @param maxDispatches dispatches of one activity before the execution fails with ACTIVITY_LOST
 */
public record Limits(int stepBudget, long maxSteps, Duration activityLease, int maxDispatches) {

    public static final Limits DEFAULT = new Limits(1_000, 100_000, Duration.ofSeconds(60), 3);
}
