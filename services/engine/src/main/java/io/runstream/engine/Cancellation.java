package io.runstream.engine;

import io.runstream.engine.Frame.TaskFrame;

/**
 * Unwinds work that is no longer wanted: a stop, a timeout, a {@code compete} won by another branch, or a run that
 * ended. Each task cut short reports CANCELLED, and its timers and activities are dropped, so nothing it started
 * fires or applies later.
 */
final class Cancellation {

    private final Turn turn;

    Cancellation(Turn turn) {
        this.turn = turn;
    }

    /** Everything: every fiber, the workflow timeout, and any timer or activity left. */
    void all() {
        Fiber main = turn.progress.fibers.get(Progress.MAIN);
        if (main != null) {
            fiber(main);
        }
        turn.progress.fibers.values().stream().toList().forEach(this::fiber);
        turn.cancelTimer(turn.progress.workflowTimeout);
        turn.progress.workflowTimeout = 0;
        turn.progress.timers.keySet().stream().toList().forEach(turn::cancelTimer);
        turn.progress.activities.values().stream().toList().forEach(this::activity);
    }

    /** A whole fiber, and the fibers of any fork in it. */
    void fiber(Fiber fiber) {
        above(fiber, -1);
        fiber.next = null;
        turn.progress.fibers.remove(fiber.id);
    }

    /** The frames of a fiber above {@code depth}, top first. */
    void above(Fiber fiber, int depth) {
        while (fiber.stack.size() - 1 > depth) {
            Frame frame = fiber.pop();
            if (frame instanceof TaskFrame task) {
                turn.cancelTimer(task.timeoutTimer());
                waitEnded(task);
                turn.step(task, TaskStep.Status.CANCELLED, null);
            } else if (frame instanceof Frame.TryFrame t) {
                turn.cancelTimer(t.retryTimer());
            } else if (frame instanceof Frame.ForkFrame fork) {
                for (int id : fork.branches()) {
                    Fiber branch = turn.progress.fibers.get(id);
                    if (branch != null) {
                        fiber(branch);
                    }
                }
            }
        }
        fiber.next = null;
    }

    /** Drops the timer or activity a task waits on. */
    void waitEnded(TaskFrame task) {
        if (task.waitingOn() == 0) {
            return;
        }
        Activity activity = turn.progress.activities.get(task.waitingOn());
        if (activity != null) {
            activity(activity);
        } else {
            turn.cancelTimer(task.waitingOn());
        }
    }

    private void activity(Activity activity) {
        turn.progress.activities.remove(activity.seq());
        turn.cancelTimer(activity.leaseTimer());
        turn.effects.abandon(activity);
    }
}
