package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.RunDispatched;
import io.runstream.schemas.internal.RunOutcome;
import io.runstream.schemas.internal.RunReported;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.ExecutionRequest;
import io.runstream.worker.domain.ExecutionStatus;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.StatusChange;
import io.runstream.worker.domain.StopRequest;
import io.runstream.worker.engine.TaskStep;
import io.runstream.worker.engine.WorkflowError;
import java.util.Map;

/** The one place where Avro records and domain types meet. */
final class AvroMapper {

    private AvroMapper() {
    }

    static ExecutionRequest toDomain(ExecutionRequested r) {
        return new ExecutionRequest(r.getExecutionId(), r.getTenant(), r.getWorkflowId(), r.getWorkflowVersion(),
                r.getDefinition(), r.getInputJson(),
                r.getRequestedAt(), r.getMetadata() == null ? Map.of() : Map.copyOf(r.getMetadata()));
    }

    static RunReport toDomain(RunReported r) {
        RunReport.Outcome outcome = r.getOutcome() == RunOutcome.FAILED
                && r.getTerminalStatus() == io.runstream.schemas.ExecutionStatus.TIMED_OUT
                ? RunReport.Outcome.TIMED_OUT : RunReport.Outcome.valueOf(r.getOutcome().name());
        return new RunReport(r.getExecutionId(), r.getAttempt(), outcome, r.getOutputJson(), toDomain(r.getError()),
                r.getReportedAt());
    }

    static RunOrder toDomain(RunDispatched d) {
        return new RunOrder(d.getExecutionId(), d.getTenant(), d.getWorkflowId(), d.getWorkflowVersion(),
                d.getDefinition(), d.getAttempt(), d.getInputJson(), d.getCancel());
    }

    static StopRequest toDomain(ExecutionStopRequested s) {
        return new StopRequest(s.getExecutionId(), s.getReason(), s.getRequestedAt());
    }

    static Execution toDomain(ExecutionState s) {
        if (s == null) {
            return null;
        }
        return new Execution(s.getExecutionId(), s.getTenant(), s.getWorkflowId(), s.getWorkflowVersion(),
                s.getDefinition(), ExecutionStatus.valueOf(s.getStatus().name()), s.getSequence(), s.getAttempt(), s.getInputJson(),
                s.getRequestedAt(), s.getUpdatedAt());
    }

    static ExecutionState toState(Execution e) {
        return ExecutionState.newBuilder()
                .setExecutionId(e.executionId())
                .setTenant(e.tenant())
                .setWorkflowId(e.workflowId())
                .setStatus(io.runstream.schemas.ExecutionStatus.valueOf(e.status().name()))
                .setSequence(e.sequence())
                .setAttempt(e.attempt())
                .setInputJson(e.inputJson())
                .setRequestedAt(e.requestedAt())
                .setUpdatedAt(e.updatedAt())
                .setWorkflowVersion(e.workflowVersion())
                .setDefinition(e.definition())
                .build();
    }

    static ExecutionStatusChanged toEvent(StatusChange c) {
        Execution e = c.execution();
        return ExecutionStatusChanged.newBuilder()
                .setExecutionId(e.executionId())
                .setWorkflowId(e.workflowId())
                .setTenant(e.tenant())
                .setStatus(io.runstream.schemas.ExecutionStatus.valueOf(e.status().name()))
                .setSequence(e.sequence())
                .setAttempt(e.attempt())
                .setOccurredAt(c.occurredAt())
                .setRequestedAt(e.requestedAt())
                .setInputJson(c.inputJson())
                .setOutputJson(c.outputJson())
                .setError(toAvro(c.error()))
                .setMetadata(c.metadata())
                .build();
    }

    static RunDispatched toAvro(RunOrder o) {
        return new RunDispatched(o.executionId(), o.tenant(), o.workflowId(), o.attempt(), o.inputJson(),
                o.definition(), o.workflowVersion(), o.cancel());
    }

    /** A timeout travels as FAILED with terminal status TIMED_OUT, so readers of the older schema still see a failure. */
    static RunReported toAvro(RunReport r) {
        boolean timedOut = r.outcome() == RunReport.Outcome.TIMED_OUT;
        return new RunReported(r.executionId(), r.attempt(),
                timedOut ? RunOutcome.FAILED : RunOutcome.valueOf(r.outcome().name()), r.outputJson(),
                toAvro(r.error()), r.reportedAt(), timedOut ? io.runstream.schemas.ExecutionStatus.TIMED_OUT : null);
    }

    static ExecutionTaskEnded toAvro(RunOrder order, TaskStep step) {
        WorkflowError e = step.error();
        return ExecutionTaskEnded.newBuilder()
                .setExecutionId(order.executionId())
                .setTenant(order.tenant())
                .setWorkflowId(order.workflowId())
                .setAttempt(order.attempt())
                .setStep(step.sequence())
                .setName(step.name())
                .setPosition(step.position())
                .setTaskType(step.type())
                .setStatus(TaskStatus.valueOf(step.status().name()))
                .setTaskAttempts(step.attempts())
                .setStartedAt(step.startedAt())
                .setEndedAt(step.endedAt())
                .setError(e == null ? null : new io.runstream.schemas.ExecutionError(String.valueOf(e.type()),
                        e.getMessage() + " (status " + e.status() + ", at " + e.instance() + ")"))
                .build();
    }

    private static ExecutionError toDomain(io.runstream.schemas.ExecutionError e) {
        return e == null ? null : new ExecutionError(e.getCode(), e.getMessage());
    }

    private static io.runstream.schemas.ExecutionError toAvro(ExecutionError e) {
        return e == null ? null : new io.runstream.schemas.ExecutionError(e.code(), e.message());
    }
}
