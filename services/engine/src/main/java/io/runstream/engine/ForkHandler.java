package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code fork}: each branch runs in a fiber of its own. Without {@code compete} the output is the array of branch
 * outputs in declaration order and a branch's error fails the task, cancelling the others; with {@code compete} the
 * first branch to succeed wins and the others are cancelled, and the task fails only if every branch fails, with the
 * first branch's error.
 */
final class ForkHandler implements TaskHandler<Task.ForkTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.ForkTask task, JsonNode input) {
        if (task.branches().isEmpty()) {
            step.signal(fiber, new Signal.Return(JsonNodeFactory.instance.arrayNode(), Flow.CONTINUE));
            return;
        }
        List<Integer> branches = new ArrayList<>();
        ArrayNode outputs = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < task.branches().size(); i++) {
            Fiber branch = step.startFiber(fiber, i, new Signal.Enter(task.branches().get(i).at(), input));
            branches.add(branch.id);
            outputs.addNull();
        }
        step.push(fiber, new Frame.ForkFrame(task.at(), List.copyOf(branches), outputs,
                new ArrayList<>(Collections.nCopies(branches.size(), null))));
    }

    @Override
    public void branchEnded(Step step, Fiber parent, Task.ForkTask task, Fiber branch, JsonNode output,
            WorkflowError error) {
        Frame.ForkFrame fork = (Frame.ForkFrame) parent.top();
        step.endFiber(branch);
        if (error == null ? task.compete() : !task.compete()) {
            // a compete's winner, or a branch of a plain fork that failed: the others are cut short
            cancelled(step, fork);
            step.pop(parent);
            step.signal(parent, error == null ? new Signal.Return(output, Flow.CONTINUE) : new Signal.Throw(error));
            return;
        }
        ArrayNode outputs = fork.outputs();
        List<JsonNode> failures = fork.failures();
        if (error == null) {
            outputs = outputs.deepCopy();
            outputs.set(branch.branch, output);
        } else {
            failures = new ArrayList<>(failures);
            failures.set(branch.branch, error.toJson());
        }
        Frame.ForkFrame next = without(fork, branch.branch, outputs, failures);
        if (next.branches().stream().anyMatch(id -> id != 0)) {
            step.replaceTop(parent, next);
            return;
        }
        step.pop(parent);
        step.signal(parent, error == null ? new Signal.Return(outputs, Flow.CONTINUE)
                : new Signal.Throw(WorkflowError.fromJson(failures.stream().filter(f -> f != null).findFirst()
                        .orElseThrow())));
    }

    /** The branches still running are cut short. */
    @Override
    public void cancelled(Step step, Frame frame) {
        for (int id : ((Frame.ForkFrame) frame).branches()) {
            Fiber branch = step.progress().fibers.get(id);
            if (branch != null) {
                step.cancelFiber(branch);
            }
        }
    }

    private static Frame.ForkFrame without(Frame.ForkFrame fork, int branch, ArrayNode outputs,
            List<JsonNode> failures) {
        List<Integer> branches = new ArrayList<>(fork.branches());
        branches.set(branch, 0);
        return new Frame.ForkFrame(fork.at(), List.copyOf(branches), outputs, new ArrayList<>(failures));
    }
}
