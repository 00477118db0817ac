package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.Signal.Return;
import io.runstream.engine.Signal.Throw;
import java.time.Duration;

/**
 * What wakes a waiting fiber: a timer that came due, or an activity's result. A timer or result the progress no
 * longer knows (cancelled, already applied, or from an earlier dispatch that was superseded) changes nothing.
 */
final class Wakeups {

    private final Turn turn;

    Wakeups(Turn turn) {
        this.turn = turn;
    }

    /** False when the execution no longer waits on that timer. */
    boolean timer(long seq) {
        Progress progress = turn.progress;
        Timer timer = progress.timers.remove(seq);
        if (timer == null) {
            return false;
        }
        Fiber fiber = progress.fibers.get(timer.fiber());
        switch (timer.kind()) {
            case WAIT -> {
                TaskFrame task = (TaskFrame) fiber.top();
                fiber.replaceTop(task.waitingOn(0));
                fiber.next = new Return(task.input(), Flow.CONTINUE);
            }
            case RETRY -> new Catches(turn).retry(fiber, (Frame.TryFrame) fiber.top());
            case TASK_TIMEOUT -> taskTimedOut(fiber, timer);
            case WORKFLOW_TIMEOUT -> {
                // a redrive goes on from everything as it was, under a new workflow timeout
                Progress point = progress.copy();
                progress.workflowTimeout = 0;
                turn.end(new Outcome.TimedOut(WorkflowError.timeout("/",
                        Duration.between(progress.startedAt, timer.due()))), point);
            }
            case ACTIVITY_LEASE -> leaseExpired(timer);
        }
        return true;
    }

    /** False when the execution no longer waits on that activity. */
    boolean activity(long seq, HttpResponse response) {
        Progress progress = turn.progress;
        Activity activity = progress.activities.remove(seq);
        if (activity == null) {
            return false;
        }
        turn.cancelTimer(activity.leaseTimer());
        Fiber fiber = progress.fibers.get(activity.fiber());
        TaskFrame task = (TaskFrame) fiber.top();
        fiber.replaceTop(task.waitingOn(0));
        Task.CallTask call = (Task.CallTask) turn.definition.task(activity.at());
        try {
            fiber.next = new Return(HttpCalls.output(call.with(), activity.request(), response, activity.at()),
                    Flow.CONTINUE);
        } catch (WorkflowError e) {
            fiber.next = new Throw(e);
        }
        return true;
    }

    /** Cuts short everything the task started, then fails the task with the spec's timeout error. */
    private void taskTimedOut(Fiber fiber, Timer timer) {
        int depth = fiber.stack.size() - 1;
        while (!(fiber.stack.get(depth) instanceof TaskFrame t && t.timeoutTimer() == timer.seq())) {
            depth--;
        }
        turn.cancellation().above(fiber, depth);
        TaskFrame task = (TaskFrame) fiber.top();
        turn.cancellation().waitEnded(task);
        fiber.replaceTop(new TaskFrame(task.at(), task.input(), task.startedAt(), task.attempts(), 0, 0));
        fiber.next = new Throw(WorkflowError.timeout(task.at(), Duration.between(task.startedAt(), timer.due())));
    }

    /** No result within the lease: the runner is gone. Dispatch again, with a longer lease, up to the cap. */
    private void leaseExpired(Timer timer) {
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
        progress.activities.put(again.seq(), again);
        turn.effects.dispatch(again);
    }
}
