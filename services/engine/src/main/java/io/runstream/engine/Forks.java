package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runstream.engine.Frame.ForkFrame;
import io.runstream.engine.Signal.Enter;
import io.runstream.engine.Signal.Return;
import io.runstream.engine.Signal.Throw;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code fork}: each branch runs in a fiber of its own. Without {@code compete} the output is the array of branch
 * outputs in declaration order and a branch's error fails the task, cancelling the others; with {@code compete} the
 * first branch to succeed wins and the others are cancelled, and the task fails only if every branch fails, with the
 * first branch's error. A fiber with nothing left on its stack ends here too: the main one ends the workflow.
 */
final class Forks {

    private final Turn turn;

    Forks(Turn turn) {
        this.turn = turn;
    }

    void start(Fiber fiber, Task.ForkTask task, JsonNode input) {
        if (task.branches().isEmpty()) {
            fiber.next = new Return(JsonNodeFactory.instance.arrayNode(), Flow.CONTINUE);
            return;
        }
        Progress progress = turn.progress;
        List<Integer> branches = new ArrayList<>();
        ArrayNode outputs = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < task.branches().size(); i++) {
            Fiber branch = new Fiber(progress.nextFiber++, fiber.id, i, turn.scope(fiber), List.of(),
                    new Enter(task.branches().get(i).at(), input));
            progress.fibers.put(branch.id, branch);
            branches.add(branch.id);
            outputs.addNull();
        }
        fiber.push(new ForkFrame(task.at(), List.copyOf(branches), outputs,
                new ArrayList<>(Collections.nCopies(branches.size(), null))));
    }

    /** A fiber's work is done with this output. */
    void finished(Fiber fiber, JsonNode output) {
        if (fiber.id == Progress.MAIN) {
            turn.completed(output);
            return;
        }
        Fiber parent = turn.progress.fibers.get(fiber.parent);
        ForkFrame fork = (ForkFrame) parent.top();
        turn.progress.fibers.remove(fiber.id);
        if (((Task.ForkTask) turn.definition.task(fork.at())).compete()) {
            cancelBranches(fork);
            parent.pop();
            parent.next = new Return(output, Flow.CONTINUE);
            return;
        }
        ArrayNode outputs = fork.outputs().deepCopy();
        outputs.set(fiber.branch, output);
        ForkFrame next = without(fork, fiber.branch, outputs, fork.failures());
        if (next.branches().stream().allMatch(id -> id == 0)) {
            parent.pop();
            parent.next = new Return(outputs, Flow.CONTINUE);
        } else {
            parent.replaceTop(next);
        }
    }

    /** A fiber's work ended with an error nothing caught. */
    void failed(Fiber fiber, WorkflowError error) {
        if (fiber.id == Progress.MAIN) {
            turn.failed(error);
            return;
        }
        Fiber parent = turn.progress.fibers.get(fiber.parent);
        ForkFrame fork = (ForkFrame) parent.top();
        turn.progress.fibers.remove(fiber.id);
        if (!((Task.ForkTask) turn.definition.task(fork.at())).compete()) {
            cancelBranches(fork);
            parent.pop();
            parent.next = new Throw(error);
            return;
        }
        List<JsonNode> failures = new ArrayList<>(fork.failures());
        failures.set(fiber.branch, error.toJson());
        ForkFrame next = without(fork, fiber.branch, fork.outputs(), failures);
        if (next.branches().stream().allMatch(id -> id == 0)) {
            parent.pop();
            parent.next = new Throw(WorkflowError.fromJson(failures.stream().filter(f -> f != null).findFirst()
                    .orElseThrow()));
        } else {
            parent.replaceTop(next);
        }
    }

    /** Cancels the branches of a fork that are still running. */
    void cancelBranches(ForkFrame fork) {
        for (int id : fork.branches()) {
            Fiber branch = turn.progress.fibers.get(id);
            if (branch != null) {
                turn.cancellation().fiber(branch);
            }
        }
    }

    private static ForkFrame without(ForkFrame fork, int branch, ArrayNode outputs, List<JsonNode> failures) {
        List<Integer> branches = new ArrayList<>(fork.branches());
        branches.set(branch, 0);
        return new ForkFrame(fork.at(), List.copyOf(branches), outputs, new ArrayList<>(failures));
    }
}
