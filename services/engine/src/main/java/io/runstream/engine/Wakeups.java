package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.TaskFrame;
import java.time.Duration;
import java.util.List;

/**
 * What wakes a waiting fiber: a timer that came due, an activity's result, an event for its listen, or the end of a
 * subflow. A timer or result the progress no longer knows (cancelled, already applied, or from an earlier dispatch
 * that was superseded) changes nothing. A wait or a retry delay is its task's handler's to act on; timeouts and
 * leases are the same for every task.
 */
final class Wakeups {

    private Wakeups() {
    }

    /**
     * False when the execution no longer waits on that timer, or it is not due yet (a wake from before its due time
     * was moved later, as a pause's resume moves timeouts).
     */
    static boolean timer(Turn turn, long seq) {
        Progress progress = turn.progress;
        Timer timer = progress.timers.get(seq);
        if (timer == null || timer.due().isAfter(turn.now)) {
            return false;
        }
        turn.apply(new ProgressEvent.TimerFired(seq));
        Fiber fiber = progress.fibers.get(timer.fiber());
        switch (timer.kind()) {
            case WAIT, RETRY -> {
                Task task = turn.definition.task(fiber.top().at());
                TaskHandlers.of(task).timerFired(turn, fiber, task, timer);
            }
            case TASK_TIMEOUT -> taskTimedOut(turn, fiber, timer);
            case WORKFLOW_TIMEOUT -> {
                // a redrive goes on from everything as it was, under a new workflow timeout
                Progress point = progress.copy();
                turn.apply(new ProgressEvent.WorkflowTimeoutSet(0));
                turn.end(new Outcome.TimedOut(WorkflowError.timeout("/",
                        Duration.between(progress.startedAt, timer.due()))), point);
            }
            case ACTIVITY_LEASE -> leaseExpired(turn, timer);
        }
        return true;
    }

    /** False when the execution no longer waits on that activity. */
    static boolean activity(Turn turn, long seq, HttpResponse response) {
        Progress progress = turn.progress;
        Activity activity = progress.activities.get(seq);
        if (activity == null) {
            return false;
        }
        turn.apply(new ProgressEvent.ActivityReported(seq));
        turn.cancelTimer(activity.leaseTimer());
        Fiber fiber = progress.fibers.get(activity.fiber());
        Task task = turn.definition.task(activity.at());
        TaskHandlers.of(task).activityReported(turn, fiber, task, activity, response);
        return true;
    }

    /** False when the execution no longer waits on that subflow (it ended, or the task stopped waiting). */
    static boolean child(Turn turn, String childExecutionId, ChildOutcome outcome) {
        Progress progress = turn.progress;
        Child child = progress.children.values().stream().filter(c -> c.executionId().equals(childExecutionId))
                .findFirst().orElse(null);
        if (child == null) {
            return false;
        }
        turn.apply(new ProgressEvent.ChildEnded(child.seq()));
        Fiber fiber = progress.fibers.get(child.fiber());
        Task task = turn.definition.task(child.at());
        TaskHandlers.of(task).childEnded(turn, fiber, task, child, outcome);
        return true;
    }

    /**
     * False when the event changes nothing: its listen is no longer open, or it does not meet the listen's filters,
     * or was consumed before. An event sent to the execution alone ({@code seq} 0) goes to the first open listen that
     * takes it, or is held for one that opens later.
     */
    static boolean event(Turn turn, long seq, JsonNode event) {
        Progress progress = turn.progress;
        if (seq != 0) {
            Subscription subscription = progress.subscriptions.get(seq);
            return subscription != null && delivered(turn, subscription, event);
        }
        String key = Subscription.keyOf(event);
        boolean seen = progress.consumed.containsKey(key) || progress.held.stream().anyMatch(h -> Subscription.keyOf(h.event()).equals(key))
                || progress.subscriptions.values().stream().anyMatch(s -> s.keys().contains(key));
        if (seen) {
            return false;
        }
        for (Subscription subscription : List.copyOf(progress.subscriptions.values())) {
            if (delivered(turn, subscription, event)) {
                return true;
            }
        }
        turn.hold(event);
        return true;
    }

    /** False when the execution no longer has that listen; else the listen fails. */
    static boolean refused(Turn turn, long seq) {
        Subscription subscription = turn.progress.subscriptions.get(seq);
        if (subscription == null) {
            return false;
        }
        Fiber fiber = turn.progress.fibers.get(subscription.fiber());
        turn.unsubscribe(seq);
        turn.signal(fiber, new Signal.Throw(WorkflowError.listenRefused(subscription.at() + "/listen/to")));
        return true;
    }

    private static boolean delivered(Turn turn, Subscription subscription, JsonNode event) {
        Fiber fiber = turn.progress.fibers.get(subscription.fiber());
        Task task = turn.definition.task(subscription.at());
        return TaskHandlers.of(task).eventDelivered(turn, fiber, task, subscription, event);
    }

    /** Cuts short everything the task started, then fails the task with the spec's timeout error. */
    private static void taskTimedOut(Turn turn, Fiber fiber, Timer timer) {
        int depth = fiber.stack.size() - 1;
        while (!(fiber.stack.get(depth) instanceof TaskFrame t && t.timeoutTimer() == timer.seq())) {
            depth--;
        }
        Cancellation.above(turn, fiber, depth);
        TaskFrame task = (TaskFrame) fiber.top();
        Cancellation.waitEnded(turn, task);
        // it still names what it waited on, ended now, so a listen's step names the events it consumed
        turn.replaceTop(fiber, new TaskFrame(task.at(), task.input(), task.startedAt(), task.attempts(), 0,
                task.waitingOn(), task.rawInput()));
        turn.signal(fiber, new Signal.Throw(WorkflowError.timeout(task.at(),
                Duration.between(task.startedAt(), timer.due()))));
    }

    /** No result within the lease: the runner is gone. Dispatch again, with a longer lease, up to the cap. */
    private static void leaseExpired(Turn turn, Timer timer) {
        Progress progress = turn.progress;
        Activity activity = progress.activities.values().stream().filter(a -> a.leaseTimer() == timer.seq())
                .findFirst().orElse(null);
        if (activity == null) {
            return;
        }
        if (activity.dispatches() >= turn.limits.maxDispatches()) {
            // a redrive dispatches it again, with its count of dispatches starting over
            turn.end(Outcome.Failed.limit("ACTIVITY_LOST", "No result for " + activity.request().method() + " "
                    + activity.request().uri() + " at " + activity.at() + " after " + activity.dispatches()
                    + " dispatches; its runners stopped without reporting"), progress.copy());
            return;
        }
        Duration lease = turn.limits.activityLease().multipliedBy(1L << Math.min(activity.dispatches(), 10));
        long leaseTimer = turn.schedule(lease, Timer.Kind.ACTIVITY_LEASE, activity.fiber());
        Activity again = new Activity(activity.seq(), activity.fiber(), activity.at(), activity.request(),
                activity.dispatches() + 1, leaseTimer);
        turn.apply(new ProgressEvent.ActivityDispatched(again));
    }
}
