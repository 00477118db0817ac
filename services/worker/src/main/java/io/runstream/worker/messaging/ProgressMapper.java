package io.runstream.worker.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.schemas.internal.ActivityProgress;
import io.runstream.schemas.internal.ChildProgress;
import io.runstream.schemas.internal.ExecutionProgress;
import io.runstream.schemas.internal.FiberProgress;
import io.runstream.schemas.internal.FrameKind;
import io.runstream.schemas.internal.FrameProgress;
import io.runstream.schemas.internal.OpenApiProgress;
import io.runstream.schemas.internal.SignalKind;
import io.runstream.schemas.internal.SignalProgress;
import io.runstream.schemas.internal.TimerKind;
import io.runstream.schemas.internal.TimerProgress;
import io.runstream.engine.Activity;
import io.runstream.engine.Child;
import io.runstream.engine.Fiber;
import io.runstream.engine.Flow;
import io.runstream.engine.Frame;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.OpenApiOperation;
import io.runstream.engine.Progress;
import io.runstream.engine.Signal;
import io.runstream.engine.Timer;
import io.runstream.engine.WorkflowError;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress to and from its stored form, the internal {@code ExecutionProgress} Avro record (version 1). JSON values
 * travel as JSON text. A kind this version does not know means the progress was written by a newer one.
 */
final class ProgressMapper {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProgressMapper() {
    }

    static ExecutionProgress toAvro(Progress p) {
        List<FiberProgress> fibers = new ArrayList<>();
        for (Fiber f : p.fibers()) {
            List<FrameProgress> frames = new ArrayList<>();
            f.stack().forEach(frame -> frames.add(toAvro(frame)));
            ObjectNode inherited = JSON.createObjectNode();
            f.inherited().forEach(inherited::set);
            fibers.add(new FiberProgress(f.id(), f.parent(), f.branch(), inherited.isEmpty() ? null : write(inherited),
                    frames, toAvro(f.next())));
        }
        List<TimerProgress> timers = new ArrayList<>();
        p.timers().values().forEach(t -> timers.add(new TimerProgress(t.seq(), t.due(),
                TimerKind.valueOf(t.kind().name()), t.fiber())));
        List<ActivityProgress> activities = new ArrayList<>();
        p.activities().values().forEach(a -> activities.add(new ActivityProgress(a.seq(), a.fiber(), a.at(),
                a.request().method(), a.request().uri(), new HashMap<>(a.request().headers()),
                a.request().body() == null ? null : ByteBuffer.wrap(a.request().body()), a.dispatches(),
                a.leaseTimer(), toAvro(a.request().openApi()))));
        return new ExecutionProgress(VERSION, write(p.input()), write(p.context()), p.startedAt(), p.nextFiber(),
                p.seq(), p.steps(), p.transitions(), p.workflowTimeout(), fibers, timers, activities,
                SubscriptionJson.write(p.subscriptions().values()), SubscriptionJson.writeHeld(p.held()),
                SubscriptionJson.writeConsumed(p.consumed()), p.hops(), p.children().values().stream()
                .map(c -> new ChildProgress(c.seq(), c.fiber(), c.at(), c.executionId())).toList());
    }

    static Progress toDomain(ExecutionProgress a) {
        if (a == null) {
            return null;
        }
        if (a.getVersion() > VERSION) {
            throw new IllegalStateException("Progress of version " + a.getVersion() + " was written by a newer "
                    + "worker; this one reads up to version " + VERSION);
        }
        List<Fiber> fibers = new ArrayList<>();
        for (FiberProgress f : a.getFibers()) {
            List<Frame> frames = new ArrayList<>();
            f.getFrames().forEach(frame -> frames.add(toDomain(frame)));
            Map<String, JsonNode> inherited = new HashMap<>();
            if (f.getInheritedJson() != null) {
                read(f.getInheritedJson()).properties().forEach(e -> inherited.put(e.getKey(), e.getValue()));
            }
            fibers.add(new Fiber(f.getId(), f.getParent(), f.getBranch(), inherited, frames, toDomain(f.getNext())));
        }
        List<Timer> timers = new ArrayList<>();
        a.getTimers().forEach(t -> timers.add(new Timer(t.getSeq(), t.getDue(), timerKind(t.getKind()),
                t.getFiber())));
        List<Activity> activities = new ArrayList<>();
        a.getActivities().forEach(x -> activities.add(new Activity(x.getSeq(), x.getFiber(), x.getAt(),
                new HttpRequest(x.getMethod(), x.getUri(), x.getHeaders(), AvroMapper.bytes(x.getBody()),
                        toDomain(x.getOpenApi())), x.getDispatches(), x.getLeaseTimer())));
        return Progress.restore(read(a.getInputJson()), read(a.getContextJson()), a.getStartedAt(), a.getNextFiber(),
                a.getSeq(), a.getSteps(), a.getTransitions(), a.getWorkflowTimeout(), fibers, timers, activities,
                SubscriptionJson.read(a.getSubscriptionsJson()), SubscriptionJson.readHeld(a.getHeldJson()),
                SubscriptionJson.readConsumed(a.getConsumedJson()), a.getHops(), a.getChildren().stream()
                .map(c -> new Child(c.getSeq(), c.getFiber(), c.getAt(), c.getExecutionId())).toList());
    }

    private static OpenApiProgress toAvro(OpenApiOperation operation) {
        return operation == null ? null : new OpenApiProgress(operation.operationId(),
                write(operation.parameters()), operation.authorization());
    }

    private static OpenApiOperation toDomain(OpenApiProgress operation) {
        return operation == null ? null : new OpenApiOperation(operation.getOperationId(),
                read(operation.getParametersJson()), operation.getAuthorization());
    }

    private static FrameProgress toAvro(Frame frame) {
        FrameProgress.Builder b = FrameProgress.newBuilder().setAt(frame.at()).setIndex(0).setAttempts(1)
                .setTimer(0).setWaitingOn(0).setBranches(List.of());
        if (frame instanceof Frame.ListFrame l) {
            b.setKind(FrameKind.LIST).setIndex(l.index());
        } else if (frame instanceof Frame.TaskFrame t) {
            // a task has no items: itemsJson holds its raw input ($task.input) when its input.from changed it
            b.setKind(FrameKind.TASK).setDataJson(write(t.input())).setStartedAt(t.startedAt())
                    .setAttempts(t.attempts()).setTimer(t.timeoutTimer()).setWaitingOn(t.waitingOn())
                    .setItemsJson(t.rawInput() == null ? null : write(t.rawInput()));
        } else if (frame instanceof Frame.ForFrame f) {
            b.setKind(FrameKind.FOR).setItemsJson(write(f.items())).setIndex(f.index()).setDataJson(write(f.data()));
        } else if (frame instanceof Frame.TryFrame t) {
            b.setKind(FrameKind.TRY).setIndex(t.attempt()).setStartedAt(t.firstStartedAt()).setTimer(t.retryTimer());
        } else if (frame instanceof Frame.CatchFrame c) {
            b.setKind(FrameKind.CATCH).setDataJson(write(c.error()));
        } else {
            Frame.ForkFrame f = (Frame.ForkFrame) frame;
            ArrayNode failures = JSON.createArrayNode();
            f.failures().forEach(e -> failures.add(e == null ? NullNode.instance : e));
            b.setKind(FrameKind.FORK).setBranches(f.branches()).setItemsJson(write(f.outputs()))
                    .setFailuresJson(write(failures));
        }
        return b.build();
    }

    private static Frame toDomain(FrameProgress f) {
        return switch (f.getKind()) {
            case LIST -> new Frame.ListFrame(f.getAt(), f.getIndex());
            case TASK -> new Frame.TaskFrame(f.getAt(), read(f.getDataJson()), f.getStartedAt(), f.getAttempts(),
                    f.getTimer(), f.getWaitingOn(), f.getItemsJson() == null ? null : read(f.getItemsJson()));
            case FOR -> new Frame.ForFrame(f.getAt(), (ArrayNode) read(f.getItemsJson()), f.getIndex(),
                    read(f.getDataJson()));
            case TRY -> new Frame.TryFrame(f.getAt(), f.getIndex(), f.getStartedAt(), f.getTimer());
            case CATCH -> new Frame.CatchFrame(f.getAt(), read(f.getDataJson()));
            case FORK -> {
                List<JsonNode> failures = new ArrayList<>();
                read(f.getFailuresJson()).forEach(e -> failures.add(e.isNull() ? null : e));
                yield new Frame.ForkFrame(f.getAt(), List.copyOf(f.getBranches()), (ArrayNode) read(f.getItemsJson()),
                        failures);
            }
            default -> throw new IllegalStateException("Unknown frame kind at " + f.getAt()
                    + "; the progress was written by a newer worker");
        };
    }

    private static SignalProgress toAvro(Signal signal) {
        if (signal == null) {
            return null;
        }
        if (signal instanceof Signal.Enter e) {
            return new SignalProgress(SignalKind.ENTER, e.at(), write(e.input()), null);
        }
        if (signal instanceof Signal.Return r) {
            return new SignalProgress(SignalKind.RETURN, null, write(r.output()), r.flow().text());
        }
        if (signal instanceof Signal.Rerun) {
            return new SignalProgress(SignalKind.RERUN, null, null, null);
        }
        return new SignalProgress(SignalKind.THROW, null, write(((Signal.Throw) signal).error().toJson()), null);
    }

    private static Signal toDomain(SignalProgress s) {
        if (s == null) {
            return null;
        }
        return switch (s.getKind()) {
            case ENTER -> new Signal.Enter(s.getAt(), read(s.getDataJson()));
            case RETURN -> new Signal.Return(read(s.getDataJson()), Flow.parse(s.getFlow()));
            case THROW -> new Signal.Throw(WorkflowError.fromJson(read(s.getDataJson())));
            case RERUN -> new Signal.Rerun();
            default -> throw new IllegalStateException("Unknown signal kind; the progress was written by a newer "
                    + "worker");
        };
    }

    private static Timer.Kind timerKind(TimerKind kind) {
        if (kind == TimerKind.UNKNOWN) {
            throw new IllegalStateException("Unknown timer kind; the progress was written by a newer worker");
        }
        return Timer.Kind.valueOf(kind.name());
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node == null ? NullNode.instance : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return json == null ? NullNode.instance : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored progress holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

}
