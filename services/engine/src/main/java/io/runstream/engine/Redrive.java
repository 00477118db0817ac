package io.runstream.engine;

import java.time.Duration;
import java.util.List;

/**
 * Reopens a run that failed or timed out from its redrive point, the progress as it was when its failure arose.
 * Its timers go back in: waits and retry delays as they were (one that came due meanwhile fires at once), and task
 * timeouts moved on by the time it lay failed, which does not count against them or against retry limits. The
 * workflow timeout starts over from now. Activities it waited on are dispatched again, under new leases and with
 * the same idempotency keys. Subflows it waited on were stopped when it ended, so each task that waited on one runs
 * again and starts a new child. The failed task itself is the fiber's next signal, so the turn that follows runs it
 * again.
 */
final class Redrive {

    private Redrive() {
    }

    static void reopen(Turn turn, Duration failedFor) {
        Progress progress = turn.progress;
        for (Timer timer : List.copyOf(progress.timers.values())) {
            switch (timer.kind()) {
                case TASK_TIMEOUT -> turn.apply(new ProgressEvent.TimerScheduled(new Timer(timer.seq(),
                        timer.due().plus(failedFor), timer.kind(), timer.fiber())));
                case ACTIVITY_LEASE, WORKFLOW_TIMEOUT -> turn.apply(new ProgressEvent.TimerForgotten(timer.seq()));
                default -> turn.apply(new ProgressEvent.TimerScheduled(timer));
            }
        }
        Fiber main = progress.fibers.get(Progress.MAIN);
        turn.apply(new ProgressEvent.WorkflowTimeoutSet(main == null ? 0 : turn.workflowTimeout(main)));
        for (Activity activity : List.copyOf(progress.activities.values())) {
            long lease = turn.schedule(turn.limits.activityLease(), Timer.Kind.ACTIVITY_LEASE, activity.fiber());
            turn.apply(new ProgressEvent.ActivityDispatched(new Activity(activity.seq(), activity.fiber(),
                    activity.at(), activity.request(), 1, lease)));
        }
        // the run's end closed them in the index: open them again, as they were
        for (Subscription subscription : List.copyOf(progress.subscriptions.values())) {
            turn.apply(new ProgressEvent.SubscriptionOpened(subscription));
        }
        // the run's end stopped them: each task that waited on one runs again, and starts a new child
        for (Child child : List.copyOf(progress.children.values())) {
            turn.apply(new ProgressEvent.ChildEnded(child.seq()));
            turn.apply(new ProgressEvent.Signalled(child.fiber(), new Signal.Rerun()));
        }
        for (Fiber fiber : progress.fibers.values()) {
            for (int i = 0; i < fiber.stack.size(); i++) {
                if (fiber.stack.get(i) instanceof Frame.TryFrame t) {
                    turn.apply(new ProgressEvent.FrameReplaced(fiber.id, i, new Frame.TryFrame(t.at(), t.attempt(),
                            t.firstStartedAt().plus(failedFor), t.retryTimer())));
                }
            }
        }
    }
}
