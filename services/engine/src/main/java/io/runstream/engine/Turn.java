package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.ListFrame;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.ProgressEvent.CountersCarried;
import io.runstream.engine.ProgressEvent.FiberStarted;
import io.runstream.engine.ProgressEvent.InputSet;
import io.runstream.engine.ProgressEvent.RunEnded;
import io.runstream.engine.ProgressEvent.RunStarted;
import io.runstream.engine.ProgressEvent.SignalTaken;
import io.runstream.engine.ProgressEvent.WorkflowTimeoutSet;
import io.runstream.engine.ProgressEvent.Yielded;
import io.runstream.engine.Signal.Enter;
import io.runstream.engine.Signal.Return;
import io.runstream.engine.Signal.Throw;
import java.time.Instant;
import java.util.Map;

/**
 * One turn of the machine for one execution: it handles the signals of runnable fibers, lowest id first, until every
 * fiber waits, the run ends, or the step budget is spent. What every task shares (its {@code if}, input and output
 * transformations, timeout, {@code then}, its step in history) and the task lists are handled here; what a kind of
 * task does is its {@link TaskHandler}'s, which acts through this turn as its {@link Step}. Everything it does is a
 * {@link ProgressEvent}, applied to the progress by the {@link Applier} and recorded in the effects, so the two
 * cannot disagree, and a turn replayed from the same progress and input does the same.
 */
final class Turn extends TurnState {

    /**
     * Expression work (builtins called and values produced, {@link JqBudget#work()}) that costs as much of the step
     * budget as one step: a turn of slow expressions yields as soon as one of many quick steps would, and, being
     * counted rather than timed, at the same point every time it is replayed.
     */
    static final long WORK_PER_STEP = 1_000;
    private final RedrivePoints redrivePoints = new RedrivePoints();

    Turn(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed, Limits limits,
            Expressions expressions, SecretReferences secretReferences, Subflows subflows) {
        super(definition, progress, rawInput, now, seed, limits, expressions, secretReferences, subflows);
    }

    /** Starts the run: the workflow's input transformation and timeout, then its first task. */
    void start(JsonNode rawInput) {
        apply(new RunStarted(now));
        int id = progress.nextFiber;
        apply(new FiberStarted(id, 0, 0, Map.of(), null));
        Fiber main = progress.fibers.get(id);
        try {
            DataContract.workflowInput(definition, rawInput);
            apply(new InputSet(transform(main, definition.inputFrom(), rawInput, rawInput, "/input/from")));
            apply(new WorkflowTimeoutSet(workflowTimeout(main)));
            startList(main, definition.root(), progress.input);
        } catch (WorkflowError e) {
            signal(main, new Throw(e));
        }
    }
    /** The workflow's timeout timer, from now, or 0 if it has none. */
    long workflowTimeout(Fiber main) {
        Component timeout = definition.timeout();
        return timeout == null ? 0 : TaskLifecycle.timeoutTimer(this, main, timeout, progress.input, "/timeout",
                Timer.Kind.WORKFLOW_TIMEOUT);
    }

    /**
     * Handles signals until every fiber waits, the run ends, or the budget is spent: steps, and the expression work
     * they did, counted in steps, so where a turn yields depends on the progress and the input alone.
     */
    void run() {
        long budget = limits.stepBudget();
        long workAtStart = JqBudget.work();
        while (effects.outcome() == null) {
            Fiber fiber = runnable();
            if (fiber == null) {
                return;
            }
            long spent = (JqBudget.work() - workAtStart) / WORK_PER_STEP;
            // an error on its way up is never cut across turns: where it arose (the redrive point) is known only
            // in the turn that raised it, and unwinding takes at most a few steps per frame
            if (budget-- - spent <= 0 && !unwinding()) {
                apply(new Yielded());
                return;
            }
            Signal signal = fiber.next;
            apply(new SignalTaken(fiber.id));
            if (progress.transitions > limits.maxSteps()) {
                Cancellation.all(this);
                apply(new RunEnded(Outcome.Failed.limit("STEP_LIMIT_EXCEEDED", "The execution took more than "
                        + limits.maxSteps() + " steps; it may loop forever. Bound its loops or raise "
                        + "runstream.worker.limits.max-steps"), null));
                return;
            }
            int depth = fiber.stack.size();
            try {
                handle(fiber, signal);
            } catch (WorkflowError e) {
                if (signal instanceof Enter) {
                    // the task failed before it could start: a redrive enters it again
                    redrivePoints.capture(this, fiber, depth, signal, e);
                }
                signal(fiber, new Throw(e));
            }
        }
    }

    private boolean unwinding() {
        for (Fiber fiber : progress.fibers.values()) {
            if (fiber.next instanceof Throw) {
                return true;
            }
        }
        return false;
    }

    /** The runnable fiber of lowest id (a loop, not a stream: it runs once per step). */
    private Fiber runnable() {
        for (Fiber fiber : progress.fibers.values()) {
            if (fiber.next != null) {
                return fiber;
            }
        }
        return null;
    }

    private void handle(Fiber fiber, Signal signal) {
        if (signal instanceof Enter enter) {
            TaskLifecycle.enter(this, fiber, enter.at(), enter.input());
        } else if (signal instanceof Return r) {
            returned(fiber, r.output(), r.flow());
        } else if (signal instanceof Throw t) {
            threw(fiber, t.error());
        } else {
            TaskLifecycle.rerun(this, fiber);
        }
    }

    private void returned(Fiber fiber, JsonNode output, Flow flow) {
        Frame top = fiber.top();
        if (top == null) {
            fiberEnded(fiber, output, null);
        } else if (top instanceof ListFrame list) {
            TaskLifecycle.listReturned(this, fiber, list, output, flow);
        } else if (top instanceof TaskFrame task) {
            TaskLifecycle.taskReturned(this, fiber, task, output, flow);
        } else {
            Task task = definition.task(top.at());
            TaskHandlers.of(task).returned(this, fiber, task, top, output, flow);
        }
    }

    private void threw(Fiber fiber, WorkflowError error) {
        Frame top = fiber.top();
        if (top == null) {
            fiberEnded(fiber, null, error);
        } else if (top instanceof TaskFrame task) {
            // the innermost task the error reached first is the one a redrive runs again
            redrivePoints.capture(this, fiber, fiber.stack.size(), new Signal.Rerun(), error);
            cancelTimer(task.timeoutTimer());
            step(task, TaskStep.Status.FAULTED, error, null);
            pop(fiber);
            signal(fiber, new Throw(error));
        } else if (top instanceof ListFrame) {
            pop(fiber);
            signal(fiber, new Throw(error));
        } else {
            Task task = definition.task(top.at());
            TaskHandlers.of(task).threw(this, fiber, task, top, error);
        }
    }

    /** A fiber ran out of work: the main one ends the run, a branch tells the task that started it. */
    private void fiberEnded(Fiber fiber, JsonNode output, WorkflowError error) {
        if (fiber.id == Progress.MAIN) {
            if (error == null) {
                completed(output);
            } else {
                failed(error);
            }
            return;
        }
        Fiber parent = progress.fibers.get(fiber.parent);
        Task task = definition.task(parent.top().at());
        TaskHandlers.of(task).branchEnded(this, parent, task, fiber, output, error);
    }

    // ---- the end of the run

    @Override
    public void completed(JsonNode output) {
        JsonNode result = transform(progress.fibers.get(Progress.MAIN), definition.outputAs(), output,
                progress.input, "/output/as");
        DataContract.workflowOutput(definition, result);
        Cancellation.all(this);
        apply(new RunEnded(new Outcome.Succeeded(result), null));
    }

    /** An uncaught error ended the workflow; a redrive goes on from where it arose, if it arose in a task. */
    @Override
    public void failed(WorkflowError error) {
        end(error.isTimeout() ? new Outcome.TimedOut(error)
                : new Outcome.Failed("WORKFLOW_ERROR", error.describe(), error), redrivePoints.pointFor(error));
    }

    /**
     * Ends the run with a failure, everything it held cancelled; a redrive may go on from {@code point} (null for
     * none). The point keeps its counters past everything this run numbered, so nothing after a redrive reuses a
     * step, timer or activity number.
     */
    void end(Outcome outcome, Progress point) {
        Cancellation.all(this);
        if (point != null) {
            Applier.apply(point, new CountersCarried(progress.seq, progress.steps, progress.transitions));
        }
        apply(new RunEnded(outcome, point));
    }

    @Override
    public void cancelFiber(Fiber fiber) {
        Cancellation.fiber(this, fiber);
    }
}
