package io.runstream.worker.domain;

import java.time.Instant;

/** The state of one execution, owned by the state machine; each transition returns the next state. */
public record Execution(String executionId, String tenant, String workflowId, Integer workflowVersion,
        String definition, ExecutionStatus status, long sequence, int attempt, String inputJson, Instant requestedAt,
        Instant updatedAt) {

    static Execution queued(ExecutionRequest request) {
        return new Execution(request.executionId(), request.tenant(), request.workflowId(),
                request.workflowVersion(), request.definition(), ExecutionStatus.QUEUED, 1, 1, request.inputJson(),
                request.requestedAt(), request.requestedAt());
    }

    Execution start(Instant at) {
        if (status != ExecutionStatus.QUEUED) {
            throw new IllegalTransitionException(executionId, status, ExecutionStatus.RUNNING);
        }
        return moveTo(ExecutionStatus.RUNNING, at);
    }

    Execution finish(ExecutionStatus terminal, Instant at) {
        if (!terminal.isTerminal() || status.isTerminal()) {
            throw new IllegalTransitionException(executionId, status, terminal);
        }
        return moveTo(terminal, at);
    }

    /** Queues the execution again for a new attempt, after the current one went silent. */
    Execution requeue(Instant at) {
        if (status.isTerminal()) {
            throw new IllegalTransitionException(executionId, status, ExecutionStatus.QUEUED);
        }
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, ExecutionStatus.QUEUED,
                sequence + 1, attempt + 1, inputJson, requestedAt, at);
    }

    RunOrder runOrder() {
        return new RunOrder(executionId, tenant, workflowId, workflowVersion, definition, attempt, inputJson, false);
    }

    /** Tells the runner of the current attempt to stop it. */
    RunOrder cancelOrder() {
        return new RunOrder(executionId, tenant, workflowId, workflowVersion, null, attempt, inputJson, true);
    }

    private Execution moveTo(ExecutionStatus next, Instant at) {
        return new Execution(executionId, tenant, workflowId, workflowVersion, definition, next, sequence + 1, attempt,
                inputJson, requestedAt, at);
    }
}
