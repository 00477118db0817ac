package io.runstream.worker.domain;

import io.runstream.engine.Outcome;
import io.runstream.engine.WorkflowError;
import java.util.List;
import java.util.Optional;

/**
 * What a subflow tells its parent when it ends, however it ends: its run's end (its output, or the spec error it
 * failed or timed out with), a stop, a limit, a fault, a rejected start. An end with no spec error of its own (a stop,
 * a limit) is told as the spec's runtime error, naming the code and message its view shows.
 */
final class ChildEnds {

    private static final String RUNTIME = "https://serverlessworkflow.io/spec/1.0.0/errors/runtime";

    private ChildEnds() {
    }

    /** The end to tell the parent, if the decision ends a subflow. */
    static Optional<ChildEnd> of(Decision decision) {
        Execution ended = decision.next();
        if (ended == null || !ended.status().isTerminal() || ended.parentExecutionId() == null) {
            return Optional.empty();
        }
        List<StatusChange> changes = decision.changes();
        StatusChange last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
        if (ended.status() == ExecutionStatus.SUCCEEDED) {
            return Optional.of(new ChildEnd(ended.parentExecutionId(), ended.executionId(), ended.tenant(),
                    ended.status(), last == null ? null : last.outputJson(), null));
        }
        return Optional.of(new ChildEnd(ended.parentExecutionId(), ended.executionId(), ended.tenant(),
                ended.status(), null, error(decision, ended, last == null ? null : last.error())));
    }

    private static WorkflowError error(Decision decision, Execution ended, ExecutionError reported) {
        Outcome outcome = decision.effects() == null ? null : decision.effects().outcome();
        if (outcome instanceof Outcome.Failed failed && failed.error() != null) {
            return failed.error();
        }
        if (outcome instanceof Outcome.TimedOut timedOut) {
            return timedOut.error();
        }
        String title = ended.status() == ExecutionStatus.CANCELLED ? "Subflow cancelled" : "Subflow failed";
        String detail = reported == null ? "it ended " + ended.status()
                : reported.code() + ": " + reported.message();
        return new WorkflowError(RUNTIME, 500, title, detail, "/");
    }
}
