package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Frame.TaskFrame;
import io.runstream.engine.Frame.ListFrame;
import io.runstream.engine.ProgressEvent.ActivityDispatched;
import io.runstream.engine.ProgressEvent.FiberEnded;
import io.runstream.engine.ProgressEvent.FiberStarted;
import io.runstream.engine.ProgressEvent.FramePopped;
import io.runstream.engine.ProgressEvent.FramePushed;
import io.runstream.engine.ProgressEvent.FrameReplaced;
import io.runstream.engine.ProgressEvent.Signalled;
import io.runstream.engine.ProgressEvent.TaskEnded;
import io.runstream.engine.ProgressEvent.TimerCancelled;
import io.runstream.engine.ProgressEvent.TimerScheduled;
import io.runstream.engine.Signal.Enter;
import io.runstream.engine.Signal.Return;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a turn holds and the changes it makes through {@link Step}, each a {@link ProgressEvent} applied to the
 * progress by the {@link Applier} and recorded in the {@link Effects}: signals, frames, fibers, timers, activities and
 * task steps, and the expressions evaluated in a fiber's scope. {@link Turn} adds the loop that handles signals and
 * the end of the run.
 */
abstract class TurnState implements Step {

    final Definition definition;
    final Progress progress;
    final Instant now;
    /** The execution's randomness (see {@link Seeds}): every draw is made from it and what it is for. */
    private final long seed;
    final Effects effects = new Effects();
    final Limits limits;
    private final Evaluation evaluation;
    private final SecretReferences secretReferences;
    private final Subflows subflows;

    TurnState(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed, Limits limits,
            Expressions expressions, SecretReferences secretReferences, Subflows subflows) {
        this.definition = definition;
        this.progress = progress;
        this.now = now;
        this.seed = seed;
        this.limits = limits;
        this.secretReferences = secretReferences;
        this.subflows = subflows;
        this.evaluation = new Evaluation(definition, progress, rawInput, now, expressions, secretReferences);
    }

    /** Applies an event to the progress and records it in the effects: the only way a turn changes anything. */
    void apply(ProgressEvent event) {
        Applier.apply(progress, event);
        effects.record(event);
    }

    @Override
    public String secretReference(SecretReference reference) {
        return secretReferences.token(progress.executionId, reference);
    }

    @Override
    public Definition definition() {
        return definition;
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public void startList(Fiber fiber, TaskList list, JsonNode input) {
        if (list.size() == 0) {
            signal(fiber, new Return(input, Flow.CONTINUE));
            return;
        }
        push(fiber, new ListFrame(list.at(), 0));
        signal(fiber, new Enter(list.get(0).at(), input));
    }

    @Override
    public void signal(Fiber fiber, Signal next) {
        apply(new Signalled(fiber.id, next));
    }

    @Override
    public void push(Fiber fiber, Frame frame) {
        apply(new FramePushed(fiber.id, frame));
    }

    @Override
    public Frame pop(Fiber fiber) {
        Frame top = fiber.top();
        apply(new FramePopped(fiber.id));
        return top;
    }

    @Override
    public void replaceTop(Fiber fiber, Frame frame) {
        apply(new FrameReplaced(fiber.id, fiber.stack.size() - 1, frame));
    }

    @Override
    public Fiber startFiber(Fiber parent, int branch, Signal next) {
        int id = progress.nextFiber;
        apply(new FiberStarted(id, parent.id, branch, scope(parent), next));
        return progress.fibers.get(id);
    }

    @Override
    public void endFiber(Fiber fiber) {
        apply(new FiberEnded(fiber.id));
    }

    @Override
    public long draw(long from, long to) {
        return Seeds.draw(seed, progress.seq + 1, from, to);
    }

    @Override
    public long schedule(Duration after, Timer.Kind kind, int fiber) {
        Timer timer = timer(progress.seq() + 1, after, kind, fiber);
        apply(new TimerScheduled(timer));
        return timer.seq();
    }

    private Timer timer(long seq, Duration after, Timer.Kind kind, int fiber) {
        try {
            return new Timer(seq, now.plus(after == null || after.isNegative() ? Duration.ZERO : after), kind, fiber);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw WorkflowError.configuration("/", "Invalid duration", after + " is too long to wait");
        }
    }

    @Override
    public long nextNumber() {
        return progress.seq() + 1;
    }

    @Override
    public void emit(long number, JsonNode event) {
        apply(new ProgressEvent.EventEmitted(number, event));
    }

    @Override
    public void subscribe(Subscription subscription) {
        apply(new ProgressEvent.SubscriptionOpened(subscription));
    }

    @Override
    public void updateSubscription(Subscription subscription) {
        apply(new ProgressEvent.SubscriptionUpdated(subscription));
    }

    @Override
    public void unsubscribe(long seq) {
        Subscription subscription = seq == 0 ? null : progress.subscriptions.get(seq);
        if (subscription != null) {
            apply(new ProgressEvent.SubscriptionClosed(subscription));
        }
    }

    @Override
    public void hold(JsonNode event) {
        if (progress.held.size() >= limits.maxHeld()) {
            dropHeld(progress.held.get(0).event());
        }
        apply(new ProgressEvent.EventHeld(new Progress.Held(event, now)));
    }

    @Override
    public void setContext(JsonNode context) {
        apply(new ProgressEvent.ContextSet(context));
    }

    @Override
    public void consumed(JsonNode event) {
        apply(new ProgressEvent.EventConsumed(Subscription.keyOf(event), now, now.minus(limits.eventBuffer()),
                Subscription.hopsOf(event)));
    }

    @Override
    public void dropHeld(JsonNode event) {
        apply(new ProgressEvent.HeldEventDropped(Subscription.keyOf(event)));
    }

    @Override
    public void cancelTimer(long seq) {
        Timer timer = seq == 0 ? null : progress.timers.get(seq);
        if (timer != null) {
            apply(new TimerCancelled(timer));
        }
    }

    @Override
    public void dispatch(Fiber fiber, String at, HttpRequest request) {
        long seq = progress.seq() + 1;
        Timer lease = timer(seq + 1, limits.activityLease(), Timer.Kind.ACTIVITY_LEASE, fiber.id);
        apply(new TimerScheduled(lease));
        apply(new ActivityDispatched(new Activity(seq, fiber.id, at, request, 1, lease.seq())));
        replaceTop(fiber, ((TaskFrame) fiber.top()).waitingOn(seq));
    }

    @Override
    public Subflows.Workflow findWorkflow(String namespace, String name, String version) {
        return subflows.find(progress.tenant, namespace, name, version);
    }

    @Override
    public void startChild(Fiber fiber, ChildStart start) {
        apply(new ProgressEvent.ChildStarted(start.awaited() ? new Child(start.seq(), fiber.id, start.at(),
                start.executionId()) : null, start));
        replaceTop(fiber, ((TaskFrame) fiber.top()).waitingOn(start.seq()));
    }

    /** Records the step a task took for history, when it ends however it ends. */
    void step(TaskFrame frame, TaskStep.Status status, WorkflowError error, JsonNode output) {
        step(frame, status, error, output, null);
    }

    /**
     * Records the step a task took for history; {@code result} is what the task returned before its
     * {@code output.as} (null unless it completed).
     */
    void step(TaskFrame frame, TaskStep.Status status, WorkflowError error, JsonNode output, JsonNode result) {
        Task task = definition.task(frame.at());
        apply(new TaskEnded(new TaskStep(progress.steps + 1, task.common().name(), frame.at(), task.type(), status,
                frame.attempts(), frame.startedAt(), now, error, frame.input(), output,
                events(task, frame, result), TaskHandlers.of(task).child(this, frame))));
    }

    /** The events a task took part in, as its handler names them. */
    private List<EventRef> events(Task task, TaskFrame frame, JsonNode result) {
        return TaskHandlers.of(task).events(this, frame, result);
    }

    /**
     * A listen of this execution: open, or closed in this turn (as it was when it closed); null if neither.
     */
    @Override
    public Subscription subscription(long seq) {
        Subscription open = progress.subscriptions.get(seq);
        if (open != null) {
            return open;
        }
        List<ProgressEvent> events = effects.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof ProgressEvent.SubscriptionClosed closed
                    && closed.subscription().seq() == seq) {
                return closed.subscription();
            }
        }
        return null;
    }

    @Override
    public Map<String, JsonNode> scope(Fiber fiber) {
        return evaluation.scope(fiber);
    }

    @Override
    public JsonNode evaluate(Fiber fiber, String expression, JsonNode input, String at, Map<String, JsonNode> extra) {
        return evaluation.evaluate(fiber, expression, input, at, extra);
    }

    @Override
    public JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at,
            Map<String, JsonNode> extra) {
        return evaluation.evaluateAll(fiber, value, input, at, extra);
    }

    @Override
    public boolean test(Fiber fiber, String condition, JsonNode input, String at, Map<String, JsonNode> extra) {
        return evaluation.test(fiber, condition, input, at, extra);
    }

    @Override
    public JsonNode transform(Fiber fiber, JsonNode expression, JsonNode value, JsonNode taskInput, String at) {
        return evaluation.transform(fiber, expression, value, taskInput, at);
    }

    @Override
    public Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at, Map<String, JsonNode> extra) {
        return evaluation.duration(fiber, node, input, at, extra);
    }
}
