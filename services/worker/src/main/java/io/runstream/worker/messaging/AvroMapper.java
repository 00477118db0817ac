package io.runstream.worker.messaging;

import io.runstream.worker.runner.ActivityRecords;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionPhase;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskEvent;
import io.runstream.schemas.TaskEventDirection;
import io.runstream.schemas.TaskStatus;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityFailure;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.ExecutionSuspension;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.worker.domain.CommandOutcome;
import io.runstream.worker.domain.ExecutionCommand;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.ExecutionRequest;
import io.runstream.worker.domain.ExecutionStatus;
import io.runstream.worker.domain.ListenWait;
import io.runstream.worker.domain.StatusChange;
import io.runstream.worker.domain.StopRequest;
import io.runstream.worker.domain.EventDelivery;
import io.runstream.worker.domain.Suspension;
import io.runstream.schemas.internal.EventDelivered;
import io.runstream.schemas.internal.SubflowEnded;
import io.runstream.worker.domain.ChildEnd;
import io.runstream.engine.ChildStart;
import io.runstream.engine.Activity;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.TaskStep;
import io.runstream.engine.WorkflowError;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The one place where Avro records and domain types meet. */
final class AvroMapper {

    private AvroMapper() {
    }

    static ExecutionRequest toDomain(ExecutionRequested r) {
        return new ExecutionRequest(r.getExecutionId(), r.getTenant(), r.getWorkflowId(), r.getWorkflowVersion(),
                r.getDefinition(), r.getInputJson(),
                r.getRequestedAt(), r.getMetadata() == null ? Map.of() : Map.copyOf(r.getMetadata()), r.getHops(),
                r.getRejection() == null ? null : new ExecutionError(r.getRejection().getCode(),
                        r.getRejection().getMessage()), r.getParentExecutionId(), r.getSubflowDepth());
    }

    /**
     * The start of a subflow an execution's turn asked for: the version it runs fixed, the parent and the depth
     * carried, and the parent's place in a chain of events, so neither subflows nor events loop without end.
     */
    static ExecutionRequested toRequest(Execution parent, ChildStart start, Instant now) {
        return ExecutionRequested.newBuilder().setExecutionId(start.executionId()).setTenant(parent.tenant())
                .setWorkflowId(start.workflowId()).setWorkflowVersion(start.workflowVersion())
                .setDefinition(start.definition()).setInputJson(start.input().toString()).setRequestedAt(now)
                .setMetadata(Map.of("trigger", "subflow", "parentTask", start.at()))
                .setHops(parent.progress() == null ? 0 : parent.progress().hops())
                .setParentExecutionId(parent.executionId()).setSubflowDepth(parent.subflowDepth() + 1).build();
    }

    static SubflowEnded toAvro(ChildEnd end, Instant at) {
        return new SubflowEnded(end.executionId(), end.child(), end.tenant(),
                io.runstream.schemas.ExecutionStatus.valueOf(end.status().name()), end.outputJson(),
                end.error() == null ? null : end.error().toJson().toString(), at);
    }

    static ChildEnd toDomain(SubflowEnded e) {
        return new ChildEnd(e.getExecutionId(), e.getChild(), e.getTenant(),
                ExecutionStatus.valueOf(e.getStatus().name()), e.getOutputJson(),
                e.getErrorJson() == null ? null : WorkflowError.fromJson(ProgressMapper.read(e.getErrorJson())));
    }

    static ExecutionCommand toDomain(ExecutionCommandRequested c) {
        ExecutionCommand.Kind kind = switch (c.getCommand()) {
            case STOP -> ExecutionCommand.Kind.STOP;
            case PAUSE -> ExecutionCommand.Kind.PAUSE;
            case RESUME -> ExecutionCommand.Kind.RESUME;
            case REDRIVE -> ExecutionCommand.Kind.REDRIVE;
            case UNKNOWN -> null;
        };
        return new ExecutionCommand(c.getCommandId(), c.getExecutionId(), c.getTenant(), kind, c.getReason(),
                c.getExpectedAttempt(), c.getRequestedAt());
    }

    static ExecutionCommandDecided toAvro(CommandOutcome o) {
        ExecutionCommand c = o.command();
        return ExecutionCommandDecided.newBuilder()
                .setCommandId(c.commandId())
                .setExecutionId(c.executionId())
                .setTenant(c.tenant())
                .setCommand(c.kind() == null ? ExecutionCommandType.UNKNOWN : ExecutionCommandType.valueOf(c.kind().name()))
                .setAccepted(o.accepted())
                .setCode(o.code())
                .setMessage(o.message())
                .setStatus(o.status() == null ? null : io.runstream.schemas.ExecutionStatus.valueOf(o.status().name()))
                .setDecidedAt(o.decidedAt())
                .setSequence(o.sequence())
                .setRedriveCount(o.redriveCount())
                .build();
    }

    static StopRequest toDomain(ExecutionStopRequested s) {
        return new StopRequest(s.getExecutionId(), s.getTenant(), s.getReason(), s.getRequestedAt());
    }

    static Execution toDomain(ExecutionState s) {
        if (s == null) {
            return null;
        }
        return new Execution(s.getExecutionId(), s.getTenant(), s.getWorkflowId(), s.getWorkflowVersion(),
                s.getDefinition(), ExecutionStatus.valueOf(s.getStatus().name()), s.getSequence(), s.getAttempt(),
                s.getInputJson(), s.getRequestedAt(), s.getUpdatedAt(), ProgressMapper.toDomain(s.getProgress()),
                toDomain(s.getSuspension()), s.getRedriveCount(), s.getParentExecutionId(), s.getSubflowDepth());
    }

    static EventDelivery toDomain(EventDelivered e) {
        return new EventDelivery(e.getExecutionId(), e.getTenant(), e.getSubscription(), e.getIndexKey(),
                e.getProbe() || e.getRefused() ? null : ProgressMapper.read(e.getEventJson()), e.getAcceptedAt(),
                e.getBuffered(), e.getProbe(), e.getRefused());
    }

    static EventDelivered toAvro(EventDelivery e) {
        return new EventDelivered(e.executionId(), e.tenant(), e.subscription(),
                e.indexKey() == null ? "" : e.indexKey(), e.event() == null ? "" : ProgressMapper.write(e.event()),
                e.acceptedAt(), e.buffered(), e.probe(), e.refused());
    }

    private static Suspension toDomain(ExecutionSuspension s) {
        if (s == null) {
            return null;
        }
        return new Suspension(s.getSince(), s.getTimers(), s.getResults().stream().map(AvroMapper::toDomain)
                .toList(), s.getContinuation(), s.getEvents().stream().map(AvroMapper::toDomain).toList(),
                s.getSubflows().stream().map(AvroMapper::toDomain).toList());
    }

    private static ExecutionSuspension toAvro(Suspension s) {
        if (s == null) {
            return null;
        }
        return new ExecutionSuspension(s.since(), new java.util.ArrayList<>(s.timers()), s.results().stream()
                .map(r -> ActivityRecords.toAvro(r, s.since())).toList(), s.continuation(),
                s.events().stream().map(AvroMapper::toAvro).toList(), s.children().stream()
                .map(end -> toAvro(end, s.since())).toList());
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
                .setProgress(e.progress() == null ? null : ProgressMapper.toAvro(e.progress()))
                .setSuspension(toAvro(e.suspension()))
                .setRedriveCount(e.redriveCount())
                .setParentExecutionId(e.parentExecutionId())
                .setSubflowDepth(e.subflowDepth())
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
                .setPhase(c.phase() == null ? null : ExecutionPhase.valueOf(c.phase().name()))
                .setRedriveCount(e.redriveCount())
                .setOrdinal(c.ordinal())
                .setWaitingFor(c.waitingFor().isEmpty() ? null : c.waitingFor().stream().map(AvroMapper::toAvro)
                        .toList())
                .setParentExecutionId(e.parentExecutionId())
                .build();
    }

    private static io.runstream.schemas.ListenWait toAvro(ListenWait w) {
        return new io.runstream.schemas.ListenWait(w.position(), w.types(), w.correlations(), w.since());
    }

    /** A task step's history event; {@code ordinal} places it among everything its execution publishes. */
    static ExecutionTaskEnded toAvro(Execution execution, TaskStep step, long ordinal) {
        WorkflowError e = step.error();
        String input = step.input() == null ? null : step.input().toString();
        String output = step.output() == null ? null : step.output().toString();
        return ExecutionTaskEnded.newBuilder()
                .setExecutionId(execution.executionId())
                .setTenant(execution.tenant())
                .setWorkflowId(execution.workflowId())
                .setAttempt(execution.attempt())
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
                .setInputJson(capped(input))
                .setOutputJson(capped(output))
                .setDataTruncated(tooLong(input) || tooLong(output))
                .setRedriveCount(execution.redriveCount())
                .setOrdinal(ordinal)
                .setEvents(step.events().stream().map(ref -> new TaskEvent(
                        TaskEventDirection.valueOf(ref.direction().name()), ref.type(), ref.source(), ref.id()))
                        .toList())
                .setChildExecutionId(step.childExecutionId())
                .build();
    }

    /** A task's input and output travel in its history event up to this many characters of JSON each. */
    static final int TASK_DATA_LIMIT = 8_192;

    private static boolean tooLong(String json) {
        return json != null && json.length() > TASK_DATA_LIMIT;
    }

    /** The JSON text itself if it fits, else its first characters. */
    private static String capped(String json) {
        return tooLong(json) ? json.substring(0, TASK_DATA_LIMIT) : json;
    }

    static ActivityDispatched toAvro(Execution execution, Activity activity, Instant deadline) {
        HttpRequest request = activity.request();
        return ActivityDispatched.newBuilder()
                .setExecutionId(execution.executionId())
                .setTenant(execution.tenant())
                .setWorkflowId(execution.workflowId())
                .setActivity(activity.seq())
                .setDispatch(activity.dispatches())
                .setIdempotencyKey(activity.idempotencyKey(execution.executionId()))
                .setPosition(activity.at())
                .setMethod(request.method())
                .setUri(request.uri())
                .setHeaders(new HashMap<>(request.headers()))
                .setBody(request.body() == null ? null : ByteBuffer.wrap(request.body()))
                .setDeadline(deadline)
                .setOpenApi(ActivityRecords.toAvro(request.openApi()))
                .build();
    }

    static ActivityResult toDomain(ActivityReported r) {
        HttpResponse response = r.getFailure() == null
                ? HttpResponse.of(r.getStatus(), r.getHeaders(), bytes(r.getBody()))
                : HttpResponse.failed(r.getFailure() == ActivityFailure.UNKNOWN ? HttpResponse.Failure.UNREACHABLE
                        : HttpResponse.Failure.valueOf(r.getFailure().name()), r.getMessage(), r.getStatus());
        return new ActivityResult(r.getExecutionId(), r.getActivity(), r.getDispatch(),
                response.withRequest(ActivityRecords.toDomain(r.getRequest())));
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static io.runstream.schemas.ExecutionError toAvro(ExecutionError e) {
        return e == null ? null : new io.runstream.schemas.ExecutionError(e.code(), e.message());
    }
}
