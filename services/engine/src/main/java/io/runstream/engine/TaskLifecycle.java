package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.ListFrame;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.Signal.Enter;
import io.runstream.engine.Signal.Return;
import java.time.Duration;
import java.util.Map;

/**
 * What every task shares, whatever its kind: its {@code if}, {@code input.from}, {@code timeout}, {@code output.as},
 * {@code export.as} and {@code then}, its step in history, and the task lists that run tasks one after another. The
 * kind's own part is its {@link TaskHandler}'s.
 */
final class TaskLifecycle {

    private TaskLifecycle() {
    }

    static void enter(Turn turn, Fiber fiber, String at, JsonNode input) {
        Task task = turn.definition.task(at);
        Task.Common common = task.common();
        if (common.when() != null && !turn.test(fiber, common.when(), input, at + "/if", Map.of())) {
            turn.step(new TaskFrame(at, input, turn.now, 1, 0, 0), TaskStep.Status.SKIPPED, null, null);
            turn.signal(fiber, new Return(input, Flow.CONTINUE));
            return;
        }
        DataContract.taskInput(turn.definition, at, input);
        JsonNode taskInput = turn.transform(fiber, common.inputFrom(), input, input, at + "/input/from");
        long timeout = taskTimeout(turn, fiber, common, taskInput, at);
        turn.push(fiber, new TaskFrame(at, taskInput, turn.now, 1, timeout, 0,
                common.inputFrom() == null ? null : input));
        TaskHandlers.of(task).enter(turn, fiber, task, taskInput);
    }

    /** A redrive runs the task that failed again from its body: its input stays, its timeout starts over. */
    static void rerun(Turn turn, Fiber fiber) {
        TaskFrame frame = (TaskFrame) fiber.top();
        turn.cancelTimer(frame.timeoutTimer());
        Task task = turn.definition.task(frame.at());
        long timeout = taskTimeout(turn, fiber, task.common(), frame.input(), frame.at());
        turn.replaceTop(fiber, new TaskFrame(frame.at(), frame.input(), turn.now, frame.attempts(), timeout, 0,
                frame.rawInput()));
        TaskHandlers.of(task).enter(turn, fiber, task, frame.input());
    }

    /** The task's timeout timer, from now, or 0 if it has none. */
    private static long taskTimeout(Turn turn, Fiber fiber, Task.Common common, JsonNode taskInput, String at) {
        return common.timeout() == null ? 0
                : timeoutTimer(turn, fiber, common.timeout(), taskInput, at + "/timeout", Timer.Kind.TASK_TIMEOUT);
    }

    /** A timeout, inline or named under {@code use.timeouts}, as a timer set from now. */
    static long timeoutTimer(Turn turn, Fiber fiber, Component timeout, JsonNode input, String at,
            Timer.Kind kind) {
        Duration after = turn.duration(fiber, timeout.get().get("after"), input, at + "/after", Map.of());
        if (after == null) {
            throw WorkflowError.configuration(at, "Invalid timeout", "a timeout needs 'after'");
        }
        return turn.schedule(after, kind, fiber.id);
    }

    static void listReturned(Turn turn, Fiber fiber, ListFrame frame, JsonNode output, Flow flow) {
        TaskList list = turn.definition.list(frame.at());
        int next;
        if (flow instanceof Flow.GoTo go) {
            next = list.indexOf(go.name());
            if (next < 0) {
                turn.pop(fiber);
                throw WorkflowError.configuration(list.get(frame.index()).at(), "Unknown flow directive",
                        "'then: " + go.name() + "' names no task in the same list");
            }
        } else if (flow instanceof Flow.End) {
            next = -1;
        } else {
            next = flow instanceof Flow.Exit ? list.size() : frame.index() + 1;
        }
        if (next < 0 || next >= list.size()) {
            turn.pop(fiber);
            turn.signal(fiber, new Return(output, next < 0 ? Flow.END : Flow.CONTINUE));
            return;
        }
        turn.replaceTop(fiber, new ListFrame(frame.at(), next));
        turn.signal(fiber, new Enter(list.get(next).at(), output));
    }

    static void taskReturned(Turn turn, Fiber fiber, TaskFrame frame, JsonNode result, Flow flow) {
        Task.Common common = turn.definition.task(frame.at()).common();
        JsonNode output = turn.transform(fiber, common.outputAs(), result, frame.input(), frame.at() + "/output/as");
        DataContract.taskOutput(turn.definition, frame.at(), output);
        if (common.exportAs() != null) {
            JsonNode context = turn.transform(fiber, common.exportAs(), output, frame.input(),
                    frame.at() + "/export/as");
            DataContract.exported(turn.definition, frame.at(), context);
            turn.apply(new ProgressEvent.ContextSet(context));
        }
        Flow next = flow instanceof Flow.Continue ? common.then() : flow;
        turn.cancelTimer(frame.timeoutTimer());
        turn.step(frame, TaskStep.Status.COMPLETED, null, output, result);
        turn.pop(fiber);
        turn.signal(fiber, new Return(output, next));
    }
}
