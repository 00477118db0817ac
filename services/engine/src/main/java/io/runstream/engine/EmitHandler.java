package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * {@code emit}: the event's {@code with} is evaluated, completed ({@link EmittedEvents}) and written to the event log
 * with the turn's other effects, in the worker's transaction, so a crash neither loses it nor writes it twice. The
 * task's output is the event.
 */
final class EmitHandler implements TaskHandler<Task.EmitTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.EmitTask task, JsonNode input) {
        String at = task.at() + "/emit/event/with";
        JsonNode with = step.evaluateAll(fiber, task.event(), input, at, Map.of());
        long number = step.nextNumber();
        ObjectNode event = EmittedEvents.build(with, step.definition().source().path("document"),
                step.progress().executionId, number, step.now(), at);
        int hops = step.progress().hops() + 1;
        if (hops > step.limits().maxHops()) {
            throw WorkflowError.chainTooLong(task.at(), hops, step.limits().maxHops());
        }
        // the event on the log carries its place in the chain; the task's output is the event as the spec makes it
        step.emit(number, event.deepCopy().put(Subscription.HOPS, hops));
        step.signal(fiber, new Signal.Return(event, Flow.CONTINUE));
    }

    /** Its event, once emitted: the task's result. */
    @Override
    public java.util.List<EventRef> events(Step step, Frame.TaskFrame frame, JsonNode result) {
        return result == null ? java.util.List.of() : java.util.List.of(EventRef.of(EventRef.Direction.EMITTED,
                result));
    }
}
