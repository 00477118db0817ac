package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runstream.engine.Consumption.EventFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code listen}: opens a subscription the correlation index routes events to, and parks. Each event delivered is
 * checked against the filters here, the execution being the authority; when the strategy is met the subscription
 * closes and the task returns the consumed events, in the order they arrived, as {@code read} asks (events consumed
 * by an {@code until} strategy are not among them). Every {@code expect} is evaluated once, when the listen opens,
 * on the task's input; a correlation without one takes its value from the first event that meets its filter.
 */
final class ListenHandler implements TaskHandler<Task.ListenTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.ListenTask task, JsonNode input) {
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        List<Subscription.Interest> interests = new ArrayList<>();
        for (EventFilter filter : task.to().filters()) {
            filter.correlate().forEach((name, correlation) -> {
                if (correlation.expect() != null && !expected.containsKey(name)) {
                    expected.put(name, Expressions.isExpression(correlation.expect())
                            ? nonNull(step.evaluate(fiber, correlation.expect().asText(), input,
                            task.at() + "/listen/to", Map.of()))
                            : correlation.expect());
                }
            });
        }
        for (EventFilter filter : task.to().filters()) {
            interests.add(interest(filter, expected));
        }
        if (task.to() instanceof Consumption.Any any && any.any().isEmpty()) {
            // every event of the tenant: the index sends them all
            interests.add(new Subscription.Interest(null, Map.of()));
        }
        Subscription subscription = Subscription.open(step.nextNumber(), fiber.id, task.at(), step.now(), interests,
                expected);
        step.subscribe(subscription);
        step.replaceTop(fiber, ((Frame.TaskFrame) fiber.top()).waitingOn(subscription.seq()));
        // events sent to this execution alone before it got here
        for (Progress.Held held : List.copyOf(step.progress().held())) {
            if (held.at().plus(step.limits().signalHold()).isBefore(step.now())) {
                step.dropHeld(held.event());
                continue;
            }
            Subscription open = step.progress().subscriptions().get(subscription.seq());
            if (open == null) {
                return;
            }
            if (eventDelivered(step, fiber, task, open, held.event())) {
                step.dropHeld(held.event());
            }
        }
    }

    @Override
    public boolean eventDelivered(Step step, Fiber fiber, Task.ListenTask task, Subscription subscription,
            JsonNode event) {
        String key = Subscription.keyOf(event);
        Instant consumedAt = step.progress().consumed().get(key);
        if (subscription.keys().contains(key) || consumedAt != null
                && !consumedAt.isAfter(subscription.openedAt())) {
            // a duplicate, or an event an earlier listen of this execution consumed, kept in the buffer since
            return false;
        }
        try {
            Subscription after = consume(step, fiber, task.to(), subscription, event, task.at() + "/listen/to");
            if (after == null) {
                return false;
            }
            step.consumed(event);
            step.updateSubscription(after);
            if (done(step, fiber, task, after)) {
                // the frame keeps waiting on the closed subscription, so the task's step names what it consumed
                step.unsubscribe(subscription.seq());
                if (task.foreach() == null) {
                    step.signal(fiber, new Signal.Return(output(after, task.read()), Flow.CONTINUE));
                } else {
                    step.push(fiber, new Frame.ForFrame(task.at(), output(after, task.read()), 0,
                            JsonNodeFactory.instance.arrayNode()));
                    iterate(step, fiber, task);
                }
            }
        } catch (WorkflowError e) {
            step.unsubscribe(subscription.seq());
            step.signal(fiber, new Signal.Throw(e));
        }
        return true;
    }

    /**
     * An iteration of {@code foreach} returned: its output, through {@code foreach.output.as}, joins the listen's
     * output, and {@code foreach.export.as} sets the context; then the next consumed event.
     */
    @Override
    public void returned(Step step, Fiber fiber, Task.ListenTask task, Frame frame, JsonNode output, Flow flow) {
        Frame.ForFrame loop = (Frame.ForFrame) frame;
        JsonNode item = loop.items().get(loop.index());
        String at = task.at() + "/foreach";
        JsonNode shaped = step.transform(fiber, task.foreach().outputAs(), output, item, at + "/output/as");
        if (task.foreach().exportAs() != null) {
            step.setContext(step.transform(fiber, task.foreach().exportAs(), shaped, item, at + "/export/as"));
        }
        if (flow instanceof Flow.End) {
            step.pop(fiber);
            step.signal(fiber, new Signal.Return(output, Flow.END));
            return;
        }
        ArrayNode outputs = ((ArrayNode) loop.data()).deepCopy().add(shaped);
        step.replaceTop(fiber, new Frame.ForFrame(loop.at(), loop.items(), loop.index() + 1, outputs));
        iterate(step, fiber, task);
    }

    /** The foreach body for the next consumed event (whose input it is), or the listen's output once all are done. */
    private static void iterate(Step step, Fiber fiber, Task.ListenTask task) {
        Frame.ForFrame loop = (Frame.ForFrame) fiber.top();
        if (loop.index() >= loop.items().size()) {
            step.pop(fiber);
            step.signal(fiber, new Signal.Return(loop.data(), Flow.CONTINUE));
            return;
        }
        step.startList(fiber, task.foreach().body(), loop.items().get(loop.index()));
    }

    /** Every event its listen consumed, until-events too, however it ended (the frame keeps waiting on it). */
    @Override
    public List<EventRef> events(Step step, Frame.TaskFrame frame, JsonNode result) {
        Subscription subscription = frame.waitingOn() == 0 ? null : step.subscription(frame.waitingOn());
        return subscription == null ? List.of() : subscription.events();
    }

    /** The subscription after it consumed the event, or null if the event meets none of the filters it waits on. */
    private static Subscription consume(Step step, Fiber fiber, Consumption to, Subscription subscription,
            JsonNode event, String at) {
        if (to instanceof Consumption.Any any && any.until() instanceof Consumption.Until.Events until) {
            Subscription ending = meetFirst(step, fiber, until.strategy(), subscription, event, at + "/until",
                    false);
            if (ending != null) {
                return ending;
            }
        }
        return meetFirst(step, fiber, to, subscription, event, at, true);
    }

    /**
     * The subscription after the event met the first filter of the strategy it may still meet; null if none. An
     * empty {@code any} takes every event.
     */
    private static Subscription meetFirst(Step step, Fiber fiber, Consumption strategy, Subscription subscription,
            JsonNode event, String at, boolean counts) {
        if (strategy instanceof Consumption.Any any && any.any().isEmpty()) {
            return subscription.consumed(event, -1, Map.of(), counts);
        }
        List<EventFilter> filters = strategy instanceof Consumption.Any any ? any.any() : strategy.filters();
        for (EventFilter filter : filters) {
            if (strategy instanceof Consumption.All && subscription.met().contains(filter.number())) {
                continue;
            }
            Map<String, JsonNode> bound = EventMatch.meets(step, fiber, filter, event, subscription.expected(),
                    at + "/" + filter.number());
            if (bound != null) {
                return subscription.consumed(event, filter.number(), bound, counts);
            }
        }
        return null;
    }

    /** Whether the listen has what it waits for. */
    private static boolean done(Step step, Fiber fiber, Task.ListenTask task, Subscription subscription) {
        Consumption to = task.to();
        if (to instanceof Consumption.Any any) {
            if (any.until() instanceof Consumption.Until.Condition condition) {
                return step.test(fiber, condition.expression(), output(subscription, task.read()),
                        task.at() + "/listen/to/until", Map.of());
            }
            if (any.until() instanceof Consumption.Until.Events events) {
                return met(events.strategy(), subscription);
            }
        }
        return met(to, subscription);
    }

    private static boolean met(Consumption strategy, Subscription subscription) {
        if (strategy instanceof Consumption.All all) {
            return all.all().stream().allMatch(f -> subscription.met().contains(f.number()));
        }
        if (strategy instanceof Consumption.Any any && any.any().isEmpty()) {
            return subscription.met().contains(-1);
        }
        return strategy.filters().stream().anyMatch(f -> subscription.met().contains(f.number()));
    }

    private static ArrayNode output(Subscription subscription, Consumption.Read read) {
        ArrayNode output = JsonNodeFactory.instance.arrayNode();
        subscription.consumed().forEach(event -> output.add(EventMatch.read(event, read)));
        return output;
    }

    /** What the index routes on for this filter: its exact type, and the correlations already expected. */
    private static Subscription.Interest interest(EventFilter filter, Map<String, JsonNode> expected) {
        String exact = EventMatch.exactType(filter);
        Map<String, JsonNode> correlations = new java.util.TreeMap<>();
        filter.correlate().forEach((name, correlation) -> {
            if (expected.containsKey(name)) {
                correlations.put(Expressions.strip(correlation.from()), expected.get(name));
            }
        });
        return new Subscription.Interest(exact, correlations);
    }

    private static JsonNode nonNull(JsonNode value) {
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
    }
}
