package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one kind of task does, hook by hook: the turn finds the handler of the task a signal concerns and calls the
 * hook, passing itself as the {@link Step} to act through. A kind that runs tasks of its own (a loop, a try, a fork)
 * keeps a frame of its own on the fiber's stack; the turn hands it what returns or is thrown to that frame. Adding a
 * task kind means writing one handler and registering it in {@link TaskHandlers}.
 *
 * @param <T> the kind of task
 */
interface TaskHandler<T extends Task> {

    /** The task's body starts, with its input (after {@code input.from}): push frames, set a signal, or throw. */
    void enter(Step step, Fiber fiber, T task, JsonNode input);

    /** A task or list run by this task's own frame (the top of the stack) returned {@code output}. */
    default void returned(Step step, Fiber fiber, T task, Frame frame, JsonNode output, Flow flow) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " got a return");
    }

    /** An error reached this task's own frame (the top of the stack): by default it goes on up. */
    default void threw(Step step, Fiber fiber, T task, Frame frame, WorkflowError error) {
        step.pop(fiber);
        step.signal(fiber, new Signal.Throw(error));
    }

    /** A timer this task set (a wait, a retry delay) came due. */
    default void timerFired(Step step, Fiber fiber, T task, Timer timer) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " set no " + timer.kind());
    }

    /** The result of an activity this task dispatched arrived. */
    default void activityReported(Step step, Fiber fiber, T task, Activity activity, HttpResponse response) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " dispatched nothing");
    }

    /** A subflow this task started and waits on ended. */
    default void childEnded(Step step, Fiber fiber, T task, Child child, ChildOutcome outcome) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " started no subflow");
    }

    /** The subflow the task started, for its step in history: the child execution's id; null for most tasks. */
    default String child(Step step, Frame.TaskFrame frame) {
        return null;
    }

    /**
     * An event reached the listen this task opened: true if it consumed it, false if the event does not meet its
     * filters (or was consumed before), which changes nothing.
     */
    default boolean eventDelivered(Step step, Fiber fiber, T task, Subscription subscription, JsonNode event) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " listens to nothing");
    }

    /**
     * A fiber this task started (a fork's branch) ran out of work: it returned {@code output}, or, when
     * {@code error} is not null, ended with that error nothing caught. {@code parent} has this task's frame on top.
     */
    default void branchEnded(Step step, Fiber parent, T task, Fiber branch, JsonNode output, WorkflowError error) {
        throw new IllegalStateException("A " + task.type() + " task at " + task.at() + " started no fiber");
    }

    /**
     * The events the task took part in, for its step in history, when it ends however it ends; {@code result} is
     * what it returned before its {@code output.as} (null unless it completed). Most tasks take part in none.
     */
    default java.util.List<EventRef> events(Step step, Frame.TaskFrame frame, JsonNode result) {
        return java.util.List.of();
    }

    /** This task's own frame is cut short (a stop, a timeout, a lost race): drop what it holds. */
    default void cancelled(Step step, Frame frame) {
    }
}
