package io.runstream.engine;

import io.runstream.engine.Frame.TaskFrame;

/**
 * Unwinds work that is no longer wanted: a stop, a timeout, a {@code compete} won by another branch, or a run that
 * ended. Each task cut short reports CANCELLED, and its timers, activities and listens are dropped and its subflows
 * stopped, so nothing it started fires or applies later; a frame of a task's own is handed to that task's handler
 * to drop what it holds.
 */
final class Cancellation {

    private Cancellation() {
    }

    /** Everything: every fiber, the workflow timeout, and any timer or activity left. */
    static void all(Turn turn) {
        Progress progress = turn.progress;
        Fiber main = progress.fibers.get(Progress.MAIN);
        if (main != null) {
            fiber(turn, main);
        }
        progress.fibers.values().stream().toList().forEach(fiber -> fiber(turn, fiber));
        turn.cancelTimer(progress.workflowTimeout);
        turn.apply(new ProgressEvent.WorkflowTimeoutSet(0));
        progress.timers.keySet().stream().toList().forEach(turn::cancelTimer);
        progress.activities.values().stream().toList().forEach(activity -> activity(turn, activity));
        progress.subscriptions.keySet().stream().toList().forEach(turn::unsubscribe);
        progress.children.values().stream().toList().forEach(child -> turn.apply(
                new ProgressEvent.ChildAbandoned(child)));
    }

    /** A whole fiber, and the fibers of any fork in it. */
    static void fiber(Turn turn, Fiber fiber) {
        above(turn, fiber, -1);
        turn.endFiber(fiber);
    }

    /** The frames of a fiber above {@code depth}, top first. */
    static void above(Turn turn, Fiber fiber, int depth) {
        while (fiber.stack.size() - 1 > depth) {
            Frame frame = turn.pop(fiber);
            if (frame instanceof TaskFrame task) {
                turn.cancelTimer(task.timeoutTimer());
                waitEnded(turn, task);
                turn.step(task, TaskStep.Status.CANCELLED, null, null);
            } else if (!(frame instanceof Frame.ListFrame)) {
                TaskHandlers.of(turn.definition.task(frame.at())).cancelled(turn, frame);
            }
        }
        turn.signal(fiber, null);
    }

    /** Drops the timer, activity, listen or subflow a task waits on. */
    static void waitEnded(Turn turn, TaskFrame task) {
        if (task.waitingOn() == 0) {
            return;
        }
        Activity activity = turn.progress.activities.get(task.waitingOn());
        if (activity != null) {
            activity(turn, activity);
        } else if (turn.progress.subscriptions.containsKey(task.waitingOn())) {
            turn.unsubscribe(task.waitingOn());
        } else if (turn.progress.children.containsKey(task.waitingOn())) {
            turn.apply(new ProgressEvent.ChildAbandoned(turn.progress.children.get(task.waitingOn())));
        } else {
            turn.cancelTimer(task.waitingOn());
        }
    }

    private static void activity(Turn turn, Activity activity) {
        turn.apply(new ProgressEvent.ActivityAbandoned(activity));
        turn.cancelTimer(activity.leaseTimer());
    }
}
