package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.engine.Frame.ForFrame;
import io.runstream.engine.Frame.ListFrame;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.Signal.Enter;
import io.runstream.engine.Signal.Return;
import io.runstream.engine.Signal.Throw;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One turn of the machine for one execution: it handles the signals of runnable fibers, lowest id first, until every
 * fiber waits, the run ends, or the step budget is spent. Everything it does lands in the progress and the effects,
 * so a turn replayed from the same progress and input does the same.
 */
final class Turn {

    /**
     * Expression work (builtins called and values produced, {@link JqBudget#work()}) that costs as much of the step
     * budget as one step: a turn of slow expressions yields as soon as one of many quick steps would, and, being
     * counted rather than timed, at the same point every time it is replayed.
     */
    static final long WORK_PER_STEP = 1_000;

    final Definition definition;
    final Progress progress;
    final Instant now;
    /** The execution's randomness (see {@link Seeds}): every draw is made from it and what it is for. */
    private final long seed;
    final Effects effects = new Effects();
    final Limits limits;
    private final Expressions expressions;
    private final ObjectNode workflow;
    private final Catches catches = new Catches(this);
    private final Forks forks = new Forks(this);
    private final Cancellation cancellation = new Cancellation(this);
    /** Where a redrive would go on from if {@link #failureCause} ends the run, with that error; null until one rises. */
    private Progress failurePoint;
    private WorkflowError failureCause;

    Turn(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed, Limits limits,
            Expressions expressions) {
        this.definition = definition;
        this.progress = progress;
        this.now = now;
        this.seed = seed;
        this.limits = limits;
        this.expressions = expressions;
        this.workflow = JsonNodeFactory.instance.objectNode();
        workflow.set("definition", definition.source());
        workflow.set("input", rawInput);
        workflow.put("startedAt", String.valueOf(progress.startedAt == null ? now : progress.startedAt));
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Starts the run: the workflow's input transformation and timeout, then its first task. */
    void start(JsonNode rawInput) {
        progress.startedAt = now;
        Fiber main = new Fiber(progress.nextFiber++, 0, 0, Map.of(), java.util.List.of(), null);
        progress.fibers.put(main.id, main);
        try {
            progress.input = transform(main, definition.inputFrom(), rawInput, rawInput, "/input/from");
            progress.workflowTimeout = workflowTimeout(main);
            startList(main, definition.root(), progress.input);
        } catch (WorkflowError e) {
            main.next = new Throw(e);
        }
    }

    /** The workflow's timeout timer, from now, or 0 if it has none. */
    long workflowTimeout(Fiber main) {
        JsonNode timeout = definition.timeout();
        if (timeout == null) {
            return 0;
        }
        JsonNode policy = timeout.isTextual() ? definition.component("timeouts", timeout.asText(), "/timeout") : timeout;
        Duration after = duration(main, policy.get("after"), progress.input, "/timeout/after");
        if (after == null) {
            throw WorkflowError.configuration("/timeout", "Invalid timeout", "a timeout needs 'after'");
        }
        return schedule(after, Timer.Kind.WORKFLOW_TIMEOUT, main.id);
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
                effects.yield();
                return;
            }
            if (++progress.transitions > limits.maxSteps()) {
                cancellation.all();
                effects.end(Outcome.Failed.limit("STEP_LIMIT_EXCEEDED", "The execution took more than "
                        + limits.maxSteps() + " steps; it may loop forever. Bound its loops or raise "
                        + "runstream.worker.limits.max-steps"));
                return;
            }
            Signal signal = fiber.next;
            fiber.next = null;
            int depth = fiber.stack.size();
            try {
                handle(fiber, signal);
            } catch (WorkflowError e) {
                if (signal instanceof Enter) {
                    // the task failed before it could start: a redrive enters it again
                    capture(fiber, depth, signal, e);
                }
                fiber.next = new Throw(e);
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
            enter(fiber, enter.at(), enter.input());
        } else if (signal instanceof Return r) {
            onReturn(fiber, r.output(), r.flow());
        } else if (signal instanceof Signal.Rerun) {
            rerun(fiber);
        } else {
            onThrow(fiber, ((Throw) signal).error());
        }
    }

    // ---- entering tasks

    private void enter(Fiber fiber, String at, JsonNode input) {
        Task task = definition.task(at);
        Task.Common common = task.common();
        if (common.when() != null && !test(fiber, common.when(), input, at + "/if", Map.of())) {
            step(new TaskFrame(at, input, now, 1, 0, 0), TaskStep.Status.SKIPPED, null);
            fiber.next = new Return(input, Flow.CONTINUE);
            return;
        }
        JsonNode taskInput = transform(fiber, common.inputFrom(), input, input, at + "/input/from");
        long timeout = taskTimeout(fiber, common, taskInput, at);
        fiber.push(new TaskFrame(at, taskInput, now, 1, timeout, 0));
        body(fiber, task, taskInput);
    }

    /** A redrive runs the task that failed again from its body: its input stays, its timeout starts over. */
    private void rerun(Fiber fiber) {
        TaskFrame frame = (TaskFrame) fiber.top();
        cancelTimer(frame.timeoutTimer());
        Task task = definition.task(frame.at());
        long timeout = taskTimeout(fiber, task.common(), frame.input(), frame.at());
        fiber.replaceTop(new TaskFrame(frame.at(), frame.input(), now, frame.attempts(), timeout, 0));
        body(fiber, task, frame.input());
    }

    /** The task's timeout timer, from now, or 0 if it has none. */
    private long taskTimeout(Fiber fiber, Task.Common common, JsonNode taskInput, String at) {
        if (common.timeout() == null) {
            return 0;
        }
        JsonNode policy = common.timeout().isTextual()
                ? definition.component("timeouts", common.timeout().asText(), at + "/timeout") : common.timeout();
        Duration after = duration(fiber, policy.get("after"), taskInput, at + "/timeout/after");
        if (after == null) {
            throw WorkflowError.configuration(at + "/timeout", "Invalid timeout", "a timeout needs 'after'");
        }
        return schedule(after, Timer.Kind.TASK_TIMEOUT, fiber.id);
    }

    private void body(Fiber fiber, Task task, JsonNode input) {
        String at = task.at();
        if (task instanceof Task.SetTask set) {
            fiber.next = new Return(transform(fiber, set.value(), input, input, at + "/set"), Flow.CONTINUE);
        } else if (task instanceof Task.SwitchTask sw) {
            fiber.next = new Return(input, choose(fiber, sw, input));
        } else if (task instanceof Task.RaiseTask raise) {
            fiber.next = new Throw(raise(fiber, raise, input));
        } else if (task instanceof Task.WaitTask wait) {
            long timer = schedule(duration(fiber, wait.duration(), input, at + "/wait"), Timer.Kind.WAIT, fiber.id);
            fiber.replaceTop(((TaskFrame) fiber.top()).waitingOn(timer));
        } else if (task instanceof Task.DoTask d) {
            startList(fiber, d.body(), input);
        } else if (task instanceof Task.ForTask f) {
            fiber.push(new ForFrame(at, items(evaluate(fiber, f.in(), input, at + "/for/in", Map.of()), at), 0,
                    input));
            iterate(fiber, f);
        } else if (task instanceof Task.ForkTask fork) {
            forks.start(fiber, fork, input);
        } else if (task instanceof Task.TryTask t) {
            fiber.push(new Frame.TryFrame(at, 1, now, 0));
            startList(fiber, t.body(), input);
        } else if (task instanceof Task.CallTask call) {
            if (!"http".equals(call.function())) {
                throw WorkflowError.unsupported(at, "call: " + call.function());
            }
            dispatch(fiber, at, HttpCalls.request(call.with(),
                    (value, where) -> evaluateAll(fiber, value, input, where), input, at + "/with"));
        } else {
            String type = task.type();
            throw WorkflowError.unsupported(at, "unknown".equals(type) ? "A task without a known type"
                    : "The '" + type + "' task");
        }
    }

    void startList(Fiber fiber, TaskList list, JsonNode input) {
        if (list.size() == 0) {
            fiber.next = new Return(input, Flow.CONTINUE);
            return;
        }
        fiber.push(new ListFrame(list.at(), 0));
        fiber.next = new Enter(list.get(0).at(), input);
    }

    private void iterate(Fiber fiber, Task.ForTask task) {
        ForFrame loop = (ForFrame) fiber.top();
        if (loop.index() >= loop.items().size() || task.whileCondition() != null
                && !test(fiber, task.whileCondition(), loop.data(), loop.at() + "/while", Map.of())) {
            fiber.pop();
            fiber.next = new Return(loop.data(), Flow.CONTINUE);
            return;
        }
        startList(fiber, task.body(), loop.data());
    }

    private void dispatch(Fiber fiber, String at, HttpRequest request) {
        long seq = progress.nextSeq();
        long lease = schedule(limits.activityLease(), Timer.Kind.ACTIVITY_LEASE, fiber.id);
        Activity activity = new Activity(seq, fiber.id, at, request, 1, lease);
        progress.activities.put(seq, activity);
        fiber.replaceTop(((TaskFrame) fiber.top()).waitingOn(seq));
        effects.dispatch(activity);
    }

    // ---- results

    private void onReturn(Fiber fiber, JsonNode output, Flow flow) {
        Frame top = fiber.top();
        if (top == null) {
            forks.finished(fiber, output);
        } else if (top instanceof ListFrame list) {
            listReturn(fiber, list, output, flow);
        } else if (top instanceof TaskFrame task) {
            taskReturn(fiber, task, output, flow);
        } else if (top instanceof ForFrame loop) {
            if (flow instanceof Flow.End) {
                fiber.pop();
                fiber.next = new Return(output, Flow.END);
                return;
            }
            fiber.replaceTop(new ForFrame(loop.at(), loop.items(), loop.index() + 1, output));
            iterate(fiber, (Task.ForTask) definition.task(loop.at()));
        } else if (top instanceof Frame.ForkFrame fork) {
            throw new IllegalStateException("A fork at " + fork.at() + " got a return");
        } else {
            // a try body or a catch.do completed: the try task completes with it
            fiber.pop();
            fiber.next = new Return(output, flow);
        }
    }

    private void listReturn(Fiber fiber, ListFrame frame, JsonNode output, Flow flow) {
        TaskList list = definition.list(frame.at());
        int next;
        if (flow instanceof Flow.GoTo go) {
            next = list.indexOf(go.name());
            if (next < 0) {
                fiber.pop();
                throw WorkflowError.configuration(list.get(frame.index()).at(), "Unknown flow directive",
                        "'then: " + go.name() + "' names no task in the same list");
            }
        } else if (flow instanceof Flow.End) {
            next = -1;
        } else {
            next = flow instanceof Flow.Exit ? list.size() : frame.index() + 1;
        }
        if (next < 0 || next >= list.size()) {
            fiber.pop();
            fiber.next = new Return(output, next < 0 ? Flow.END : Flow.CONTINUE);
            return;
        }
        fiber.replaceTop(new ListFrame(frame.at(), next));
        fiber.next = new Enter(list.get(next).at(), output);
    }

    private void taskReturn(Fiber fiber, TaskFrame frame, JsonNode result, Flow flow) {
        Task.Common common = definition.task(frame.at()).common();
        JsonNode output = transform(fiber, common.outputAs(), result, frame.input(), frame.at() + "/output/as");
        if (common.exportAs() != null) {
            progress.context = transform(fiber, common.exportAs(), output, frame.input(), frame.at() + "/export/as");
        }
        Flow next = flow instanceof Flow.Continue ? common.then() : flow;
        cancelTimer(frame.timeoutTimer());
        step(frame, TaskStep.Status.COMPLETED, null, output);
        fiber.pop();
        fiber.next = new Return(output, next);
    }

    private void onThrow(Fiber fiber, WorkflowError error) {
        Frame top = fiber.top();
        if (top == null) {
            forks.failed(fiber, error);
        } else if (top instanceof TaskFrame task) {
            // the innermost task the error reached first is the one a redrive runs again
            capture(fiber, fiber.stack.size(), new Signal.Rerun(), error);
            cancelTimer(task.timeoutTimer());
            step(task, TaskStep.Status.FAULTED, error);
            fiber.pop();
            fiber.next = new Throw(error);
        } else if (top instanceof Frame.TryFrame t) {
            catches.caught(fiber, t, error);
        } else if (top instanceof Frame.ForkFrame fork) {
            throw new IllegalStateException("A fork at " + fork.at() + " got an error");
        } else {
            fiber.pop();
            fiber.next = new Throw(error);
        }
    }

    /** The workflow completed: its output transformation, then the end of every timer it still holds. */
    void completed(JsonNode output) {
        JsonNode result = transform(progress.fibers.get(Progress.MAIN), definition.outputAs(), output,
                progress.input, "/output/as");
        cancellation.all();
        effects.end(new Outcome.Succeeded(result));
    }

    /** An uncaught error ended the workflow; a redrive goes on from where it arose, if it arose in a task. */
    void failed(WorkflowError error) {
        end(error.isTimeout() ? new Outcome.TimedOut(error)
                : new Outcome.Failed("WORKFLOW_ERROR", error.describe(), error), error == failureCause ? failurePoint : null);
    }

    /**
     * Ends the run with a failure, everything it held cancelled; a redrive may go on from {@code point} (null for
     * none). The point keeps its counters past everything this run numbered, so nothing after a redrive reuses a
     * step, timer or activity number.
     */
    void end(Outcome outcome, Progress point) {
        cancellation.all();
        if (point != null) {
            point.seq = progress.seq;
            point.steps = progress.steps;
            point.transitions = progress.transitions;
            effects.redriveFrom(point);
        }
        effects.end(outcome);
    }

    /**
     * Keeps aside, the first time {@code cause} is seen, where a redrive would go on from should it end the run: the
     * progress as it is, with the fiber's stack cut back to {@code depth} (dropping the timers of frames above), its
     * next signal {@code again}, and the retries of every {@code try} it is in (in its fiber or, for a fork branch,
     * around the fork) starting over.
     */
    private void capture(Fiber fiber, int depth, Signal again, WorkflowError cause) {
        if (cause == failureCause) {
            return;
        }
        Progress point = progress.copy();
        Fiber at = point.fibers.get(fiber.id);
        while (at.stack.size() > depth) {
            Frame frame = at.pop();
            if (frame instanceof TaskFrame t) {
                point.timers.remove(t.timeoutTimer());
            } else if (frame instanceof Frame.TryFrame t) {
                point.timers.remove(t.retryTimer());
            }
        }
        // the tries around the failed task, in its fiber and in the fibers its fork branches from
        for (Fiber line = at; line != null; line = point.fibers.get(line.parent)) {
            for (int i = 0; i < line.stack.size(); i++) {
                if (line.stack.get(i) instanceof Frame.TryFrame t && t.retryTimer() == 0) {
                    line.stack.set(i, new Frame.TryFrame(t.at(), 1, now, 0));
                    if (i > 0 && line.stack.get(i - 1) instanceof TaskFrame task) {
                        line.stack.set(i - 1, task.withAttempts(1));
                    }
                }
            }
        }
        at.next = again;
        failurePoint = point;
        failureCause = cause;
    }

    // ---- helpers

    private Flow choose(Fiber fiber, Task.SwitchTask task, JsonNode input) {
        for (Task.SwitchTask.Case c : task.cases()) {
            if (c.when() == null || test(fiber, c.when(), input, c.whenAt(), Map.of())) {
                return c.then();
            }
        }
        return Flow.CONTINUE;
    }

    private WorkflowError raise(Fiber fiber, Task.RaiseTask task, JsonNode input) {
        String at = task.at() + "/raise/error";
        JsonNode definitionOfError = task.error().isTextual()
                ? definition.component("errors", task.error().asText(), at) : task.error();
        JsonNode e = evaluateAll(fiber, definitionOfError, input, at);
        return new WorkflowError(e.path("type").asText(null), e.path("status").asInt(0),
                e.path("title").asText(null), e.path("detail").asText(null), task.at());
    }

    private static ArrayNode items(JsonNode collection, String at) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        if (collection == null || collection.isNull()) {
            return items;
        }
        if (!collection.isArray() && !collection.isObject()) {
            throw WorkflowError.expression(at + "/for/in",
                    "for.in must give an array or an object, not " + collection.getNodeType());
        }
        collection.forEach(items::add);
        return items;
    }

    /**
     * A number in {@code [from, to]} drawn for the timer about to be scheduled: from the execution's seed and that
     * timer's sequence number, so a replay draws the same and no two timers of a run share a draw.
     */
    long draw(long from, long to) {
        return Seeds.draw(seed, progress.seq + 1, from, to);
    }

    long schedule(Duration after, Timer.Kind kind, int fiber) {
        Instant due;
        try {
            due = now.plus(after == null || after.isNegative() ? Duration.ZERO : after);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw WorkflowError.configuration("/", "Invalid duration", after + " is too long to wait");
        }
        Timer timer = new Timer(progress.nextSeq(), due, kind, fiber);
        progress.timers.put(timer.seq(), timer);
        effects.schedule(timer);
        return timer.seq();
    }

    void cancelTimer(long seq) {
        if (seq != 0) {
            Timer timer = progress.timers.remove(seq);
            if (timer != null) {
                effects.cancel(timer);
            }
        }
    }

    void step(TaskFrame frame, TaskStep.Status status, WorkflowError error) {
        step(frame, status, error, null);
    }

    void step(TaskFrame frame, TaskStep.Status status, WorkflowError error, JsonNode output) {
        Task task = definition.task(frame.at());
        effects.step(new TaskStep(++progress.steps, task.common().name(), frame.at(), task.type(), status,
                frame.attempts(), frame.startedAt(), now, error, frame.input(), output));
    }

    /** The variables in scope at the top of a fiber: those it inherited, then each enclosing loop's and catch's. */
    private Map<String, JsonNode> scope(Fiber fiber, Map<String, JsonNode> extra) {
        Map<String, JsonNode> named = new HashMap<>(fiber.inherited);
        for (Frame frame : fiber.stack) {
            if (frame instanceof ForFrame loop && loop.index() < loop.items().size()) {
                Task.ForTask task = (Task.ForTask) definition.task(loop.at());
                named.put(task.each(), loop.items().get(loop.index()));
                named.put(task.index(), JsonNodeFactory.instance.numberNode(loop.index()));
            } else if (frame instanceof Frame.CatchFrame c) {
                named.put(((Task.TryTask) definition.task(c.at())).handler().as(), c.error());
            }
        }
        named.putAll(extra);
        return named;
    }

    Map<String, JsonNode> scope(Fiber fiber) {
        return scope(fiber, Map.of());
    }

    private Expressions.Variables variables(Fiber fiber, JsonNode input, Map<String, JsonNode> extra) {
        return new Expressions.Variables(input, progress.context, workflow, scope(fiber, extra));
    }

    JsonNode evaluate(Fiber fiber, String expression, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluate(expression, input, variables(fiber, input, extra), at);
    }

    JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at) {
        return expressions.evaluateAll(value, input, variables(fiber, input, Map.of()), at);
    }

    JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluateAll(value, input, variables(fiber, input, extra), at);
    }

    boolean test(Fiber fiber, String condition, JsonNode input, String at, Map<String, JsonNode> extra) {
        JsonNode value = evaluate(fiber, condition, input, at, extra);
        return !(value == null || value.isNull() || value.isBoolean() && !value.asBoolean());
    }

    /** Applies an {@code input.from}, {@code output.as} or {@code export.as}: an expression or an object of them. */
    JsonNode transform(Fiber fiber, JsonNode expression, JsonNode value, JsonNode taskInput, String at) {
        if (expression == null) {
            return value;
        }
        Expressions.Variables scope = variables(fiber, taskInput, Map.of());
        return expression.isTextual() ? expressions.evaluate(expression.asText(), value, scope, at)
                : expressions.evaluateAll(expression, value, scope, at);
    }

    Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at) {
        return Durations.parse(node, expression -> evaluate(fiber, expression, input, at, Map.of()), at);
    }

    Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at, Map<String, JsonNode> extra) {
        return Durations.parse(node, expression -> evaluate(fiber, expression, input, at, extra), at);
    }
}
