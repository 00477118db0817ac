package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a {@link TaskHandler} may do during a turn: read the definition and the progress, evaluate expressions in a
 * fiber's scope, signal fibers and push and pop their frames, start task lists and fibers, set and drop timers,
 * dispatch activities, start subflows, cut fibers short. Each change is a {@link ProgressEvent} the turn applies; a
 * handler reads the progress and its fibers but never changes them itself. The turn implements it and passes itself
 * to each hook; no handler keeps it.
 */
interface Step {

    Definition definition();

    /** The token standing for a secret's value in this execution's calls. */
    String secretReference(SecretReference reference);

    Progress progress();

    /** The processor's clock, read once for the input this turn handles. */
    Instant now();

    Limits limits();

    /** The variables in scope at the top of a fiber: those it inherited, then each enclosing loop's and catch's. */
    Map<String, JsonNode> scope(Fiber fiber);

    JsonNode evaluate(Fiber fiber, String expression, JsonNode input, String at, Map<String, JsonNode> extra);

    JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at, Map<String, JsonNode> extra);

    /** Whether the condition holds: anything but null and false. */
    boolean test(Fiber fiber, String condition, JsonNode input, String at, Map<String, JsonNode> extra);

    /** An {@code input.from}, {@code output.as} or {@code export.as}: an expression or an object of them. */
    JsonNode transform(Fiber fiber, JsonNode expression, JsonNode value, JsonNode taskInput, String at);

    /** Sets the workflow's context ({@code $context}), as an {@code export.as} does. */
    void setContext(JsonNode context);

    Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at, Map<String, JsonNode> extra);

    /** The signal the fiber handles next ({@code null}: it waits). */
    void signal(Fiber fiber, Signal next);

    void push(Fiber fiber, Frame frame);

    /** Pops the fiber's top frame and returns it. */
    Frame pop(Fiber fiber);

    void replaceTop(Fiber fiber, Frame frame);

    /** Starts a fiber for a branch of the task on top of {@code parent}, inheriting its scope. */
    Fiber startFiber(Fiber parent, int branch, Signal next);

    /** A fiber that ran out of work is gone. */
    void endFiber(Fiber fiber);

    /** Runs a task list on the fiber with this input, or returns the input at once if it is empty. */
    void startList(Fiber fiber, TaskList list, JsonNode input);

    /** Sets a timer due after {@code after}; returns its number. */
    long schedule(Duration after, Timer.Kind kind, int fiber);

    /** Drops a timer (0 for none). */
    void cancelTimer(long seq);

    /** A number in {@code [from, to]}, drawn for the timer about to be set, the same whenever replayed. */
    long draw(long from, long to);

    /** The number the next timer, activity or emitted event will get; numbers are never used twice. */
    long nextNumber();

    /** Writes an event (a CloudEvent as JSON) to the event log, with the turn's other effects; it takes {@code number}. */
    void emit(long number, JsonNode event);

    /** A listen of this execution, open or closed in this turn (as it was when it closed); null if neither. */
    Subscription subscription(long seq);

    /** Opens a listen: the correlation index routes matching events to it. */
    void subscribe(Subscription subscription);

    /** A listen consumed an event and goes on. */
    void updateSubscription(Subscription subscription);

    /** Closes a listen (0 or one no longer open: nothing). */
    void unsubscribe(long seq);

    /** An event sent to this execution alone that no listen took waits for one that opens. */
    void hold(JsonNode event);

    /** A listen consumed this event: a listen that opens later is not given it again. */
    void consumed(JsonNode event);

    /** A held event was taken, or held too long. */
    void dropHeld(JsonNode event);

    /** Sends a request out as an activity the task on top of the fiber waits on. */
    void dispatch(Fiber fiber, String at, HttpRequest request);

    /** The tenant's workflow a {@code run: workflow} task names (see {@link Subflows#find}); null when none. */
    Subflows.Workflow findWorkflow(String namespace, String name, String version);

    /**
     * Starts a subflow for the task on top of the fiber, whose frame then names it (the run waits on it if
     * {@link ChildStart#awaited()}).
     */
    void startChild(Fiber fiber, ChildStart start);

    /** Cuts a whole fiber short (a fork branch), its tasks reported CANCELLED. */
    void cancelFiber(Fiber fiber);

    /** The run ends with this output, after the workflow's {@code output.as}. */
    void completed(JsonNode output);

    /** An error nothing caught ends the run. */
    void failed(WorkflowError error);
}
