package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a Serverless Workflow 1.0 definition (already validated at PUT) as a cancellable {@link Mono}: cancelling
 * the subscription stops the run wherever it is, in a wait or an HTTP call included. Supports {@code do},
 * {@code set}, {@code switch}, {@code raise}, {@code wait}, {@code for}, {@code fork}, {@code try}/{@code catch}
 * with retries, {@code call: http}, {@code if}, {@code then}, input/output/export transformations and task and
 * workflow timeouts. {@code emit}, {@code listen} and {@code run} fail the run with a "Not supported yet" error.
 */
public final class WorkflowInterpreter {

    /** Task types in the order they are recognized: a {@code for} or {@code try} task also has other keys. */
    private static final List<String> TYPES = List.of("for", "fork", "try", "call", "set", "switch", "raise", "wait",
            "emit", "listen", "run", "do");

    private final Expressions expressions = new Expressions();
    private final Clock clock;
    private final Scheduler scheduler;
    private final ForTask forTask = new ForTask(this);
    private final ForkTask forkTask = new ForkTask(this);
    private final TryTask tryTask;
    private final HttpTask httpTask;

    public WorkflowInterpreter(HttpCaller http, Clock clock) {
        this(http, clock, Schedulers.boundedElastic());
    }

    /**
     * @param scheduler where runs continue after a wait, a timer or an HTTP response, so workflow work (jq, history
     *     publishing) never runs on a network event loop
     */
    public WorkflowInterpreter(HttpCaller http, Clock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.tryTask = new TryTask(this, clock, scheduler);
        this.httpTask = new HttpTask(http, scheduler);
    }

    /** The run's output, or an error signal carrying the {@link WorkflowError} that ended it. */
    public Mono<JsonNode> run(JsonNode workflow, JsonNode rawInput, TaskListener listener) {
        return Mono.defer(() -> {
            Frame root = new Frame(new Run(workflow, rawInput, expressions, listener, clock), Map.of(), "");
            JsonNode input = root.transform(workflow.path("input").get("from"), rawInput, "/input/from");
            Mono<JsonNode> body = runList(workflow.path("do"), input, root.child("do"))
                    .map(outcome -> root.transform(workflow.path("output").get("as"), outcome.output(), input,
                            "/output/as"));
            return withTimeout(body, workflow.get("timeout"), input, root, "");
        });
    }

    /** Runs a task list in order, following flow directives; {@code exit} leaves only this list. */
    Mono<Outcome> runList(JsonNode tasks, JsonNode input, Frame frame) {
        return Mono.just(new Cursor(0, input, null))
                .expand(cursor -> cursor.exit() != null ? Mono.empty() : step(tasks, cursor, frame))
                .last()
                .map(cursor -> new Outcome(cursor.output(), cursor.exit()));
    }

    private Mono<Cursor> step(JsonNode tasks, Cursor cursor, Frame frame) {
        int i = cursor.index();
        if (i >= tasks.size()) {
            return Mono.just(new Cursor(i, cursor.output(), Outcome.CONTINUE));
        }
        Map.Entry<String, JsonNode> task = tasks.get(i).properties().iterator().next();
        Frame taskFrame = frame.child(i + "/" + task.getKey());
        return runTask(task.getKey(), task.getValue(), cursor.output(), taskFrame).map(outcome -> switch (outcome
                .directive()) {
            case Outcome.CONTINUE -> new Cursor(i + 1, outcome.output(), null);
            case Outcome.EXIT -> new Cursor(i, outcome.output(), Outcome.CONTINUE);
            case Outcome.END -> new Cursor(i, outcome.output(), Outcome.END);
            default -> new Cursor(indexOf(tasks, outcome.directive(), taskFrame.at()), outcome.output(), null);
        });
    }

    /** Runs one task: its condition, input, body, timeout, output, export and flow directive, reporting the step. */
    Mono<Outcome> runTask(String name, JsonNode task, JsonNode input, Frame frame) {
        return Mono.defer(() -> {
            Instant startedAt = clock.instant();
            String type = typeOf(task, frame.at());
            AtomicInteger attempts = new AtomicInteger(1);
            StepReporter reporter = new StepReporter(frame.run(), name, frame.at(), type, attempts, startedAt);
            JsonNode condition = task.get("if");
            if (condition != null && !frame.test(condition, input, frame.at() + "/if")) {
                reporter.skipped();
                return Mono.just(Outcome.next(input));
            }
            JsonNode taskInput = frame.transform(task.path("input").get("from"), input, frame.at() + "/input/from");
            Mono<Outcome> body = withTimeout(execute(type, task, taskInput, frame, attempts), task.get("timeout"),
                    taskInput, frame, frame.at());
            return body.map(outcome -> finish(task, taskInput, outcome, frame))
                    .doOnSuccess(outcome -> reporter.completed())
                    .doOnError(reporter::faulted)
                    .doOnCancel(reporter::cancelled);
        });
    }

    private Mono<Outcome> execute(String type, JsonNode task, JsonNode input, Frame frame, AtomicInteger attempts) {
        return switch (type) {
            case "set" -> Mono.fromCallable(() -> Outcome.next(frame.transform(task.get("set"), input,
                    frame.at() + "/set")));
            case "switch" -> Mono.fromCallable(() -> new Outcome(input, chooseCase(task.get("switch"), input,
                    frame)));
            case "raise" -> Mono.defer(() -> Mono.error(raise(task.get("raise").path("error"), input, frame)));
            case "wait" -> Mono.defer(() -> Mono.delay(Durations.parse(task.get("wait"), input, frame,
                    frame.at() + "/wait"), scheduler)).thenReturn(Outcome.next(input));
            case "for" -> forTask.run(task, input, frame);
            case "fork" -> forkTask.run(task, input, frame);
            case "try" -> tryTask.run(task, input, frame, attempts);
            case "call" -> httpTask.run(task, input, frame);
            case "do" -> runList(task.get("do"), input, frame.child("do"));
            default -> Mono.error(WorkflowError.unsupported(frame.at(), "The '" + type + "' task"));
        };
    }

    private static Outcome finish(JsonNode task, JsonNode taskInput, Outcome outcome, Frame frame) {
        JsonNode output = frame.transform(task.path("output").get("as"), outcome.output(), taskInput,
                frame.at() + "/output/as");
        JsonNode export = task.path("export").get("as");
        if (export != null) {
            frame.run().export(frame.transform(export, output, taskInput, frame.at() + "/export/as"));
        }
        String directive = outcome.directive();
        if (Outcome.CONTINUE.equals(directive) && task.hasNonNull("then")) {
            directive = task.get("then").asText();
        }
        return new Outcome(output, directive);
    }

    private <T> Mono<T> withTimeout(Mono<T> body, JsonNode timeout, JsonNode input, Frame frame, String owner) {
        if (timeout == null) {
            return body;
        }
        JsonNode policy = timeout.isTextual() ? frame.run().component("timeouts", timeout.asText(),
                owner + "/timeout") : timeout;
        Duration after = Durations.parse(policy.get("after"), input, frame, owner + "/timeout/after");
        String instance = owner.isEmpty() ? "/" : owner;
        return body.timeout(after, Mono.error(() -> WorkflowError.timeout(instance, after)), scheduler);
    }

    private static String chooseCase(JsonNode cases, JsonNode input, Frame frame) {
        for (int i = 0; i < cases.size(); i++) {
            Map.Entry<String, JsonNode> c = cases.get(i).properties().iterator().next();
            JsonNode when = c.getValue().get("when");
            if (when == null || frame.test(when, input, frame.at() + "/switch/" + i + "/" + c.getKey() + "/when")) {
                return c.getValue().path("then").asText(Outcome.CONTINUE);
            }
        }
        return Outcome.CONTINUE;
    }

    private static WorkflowError raise(JsonNode error, JsonNode input, Frame frame) {
        JsonNode definition = error.isTextual()
                ? frame.run().component("errors", error.asText(), frame.at() + "/raise/error") : error;
        JsonNode e = frame.evaluateAll(definition, input, frame.at() + "/raise/error");
        return new WorkflowError(e.path("type").asText(null), e.path("status").asInt(0), e.path("title").asText(null),
                e.path("detail").asText(null), frame.at());
    }

    private static String typeOf(JsonNode task, String at) {
        for (String type : TYPES) {
            if (task.has(type)) {
                return type;
            }
        }
        throw WorkflowError.unsupported(at, "A task without a known type");
    }

    private static int indexOf(JsonNode tasks, String name, String at) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).has(name)) {
                return i;
            }
        }
        throw WorkflowError.configuration(at, "Unknown flow directive",
                "'then: " + name + "' names no task in the same list");
    }

    /** Where a task list stands: the next task to run, the data so far, and the directive it exited with. */
    private record Cursor(int index, JsonNode output, String exit) {
    }
}
