package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code run: workflow}: another workflow of the tenant runs as an execution of its own, a subflow. The task finds
 * it in the catalog ({@link Subflows}), fixing the version it runs, and starts it as an effect the worker carries
 * out in the same transaction as the turn; a workflow that is not there, deactivated, or that would nest subflows
 * too deep fails the task with the spec's error, which a {@code try} catches. With {@code await} (the default) the
 * run parks until the child ends and the task returns its output, or raises its error; without it the task returns
 * its own input at once.
 */
final class RunWorkflowHandler implements TaskHandler<Task.RunWorkflowTask> {

    /** The most JSON a child's input may take, so its start fits in one record with its definition. */
    static final int MAX_INPUT_BYTES = 512 * 1024;

    @Override
    public void enter(Step step, Fiber fiber, Task.RunWorkflowTask task, JsonNode input) {
        String at = task.at() + "/run/workflow";
        Progress progress = step.progress();
        int depth = progress.depth + 1;
        if (depth > step.limits().maxSubflowDepth()) {
            throw WorkflowError.subflowTooDeep(task.at(), depth, step.limits().maxSubflowDepth());
        }
        Subflows.Workflow workflow = step.findWorkflow(task.namespace(), task.name(), task.version());
        if (workflow == null) {
            throw WorkflowError.subflowNotFound(at, task.namespace(), task.name(), task.version());
        }
        if (!workflow.active()) {
            throw WorkflowError.subflowInactive(at, workflow.workflowId());
        }
        JsonNode childInput = task.input() == null ? input
                : step.evaluateAll(fiber, task.input(), input, at + "/input", Map.of());
        int bytes = childInput.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_INPUT_BYTES) {
            throw WorkflowError.subflowInputTooLarge(at + "/input", bytes, MAX_INPUT_BYTES);
        }
        long seq = step.nextNumber();
        String child = Child.idOf(progress.executionId, progress.redriveCount, task.at(), seq);
        step.startChild(fiber, new ChildStart(seq, task.at(), child, workflow.workflowId(), workflow.version(),
                workflow.definition(), childInput, task.await()));
        if (!task.await()) {
            // the spec: a task that does not await its process outputs its transformed input
            step.signal(fiber, new Signal.Return(input, Flow.CONTINUE));
        }
    }

    @Override
    public void childEnded(Step step, Fiber fiber, Task.RunWorkflowTask task, Child child, ChildOutcome outcome) {
        // the frame keeps naming the child, so the task's step in history names it
        if (outcome.isSuccess()) {
            step.signal(fiber, new Signal.Return(outcome.output(), Flow.CONTINUE));
        } else {
            step.signal(fiber, new Signal.Throw(WorkflowError.subflowFailed(task.at(), describe(task, child),
                    outcome.error())));
        }
    }

    @Override
    public String child(Step step, Frame.TaskFrame frame) {
        Progress progress = step.progress();
        return frame.waitingOn() == 0 ? null
                : Child.idOf(progress.executionId, progress.redriveCount, frame.at(), frame.waitingOn());
    }

    private static String describe(Task.RunWorkflowTask task, Child child) {
        return task.namespace() + "/" + task.name() + " " + task.version() + " (execution " + child.executionId()
                + ")";
    }
}
