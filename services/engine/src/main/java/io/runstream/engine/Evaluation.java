package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Expressions as one turn evaluates them: in a fiber's scope, with the spec's runtime expression arguments
 * ({@code $input}, {@code $context}, {@code $workflow}, {@code $runtime}; {@code $task} in a task's expressions, and
 * {@code $output} in its {@code export.as}; {@code $secrets}, as references, in a call's arguments) and the variables
 * of enclosing loops and catches ({@code $item}, {@code $error}, ...). Every argument comes from the progress and the turn's inputs, so a replay sees the same.
 */
final class Evaluation {

    private static final String OUTPUT_AS = "/output/as";
    private static final String EXPORT_AS = "/export/as";

    private final Definition definition;
    private final Progress progress;
    private final Instant now;
    private final Expressions expressions;
    private final ObjectNode workflow;
    private final SecretReferences secretReferences;
    /** {@code $secrets}, built when an expression of a call first may name it in this turn. */
    private JsonNode secrets;
    /** The raw output of the task whose {@code output.as} ran last, which its {@code export.as} sees next. */
    private String outputOf;
    private JsonNode rawOutput;

    Evaluation(Definition definition, Progress progress, JsonNode rawInput, Instant now, Expressions expressions,
            SecretReferences secretReferences) {
        this.secretReferences = secretReferences;
        this.definition = definition;
        this.progress = progress;
        this.now = now;
        this.expressions = expressions;
        // built only for a definition that names it, as most do not
        this.workflow = definition.namesWorkflow() ? Descriptors.workflow(progress.executionId, definition.source(),
                rawInput, progress.startedAt == null ? now : progress.startedAt) : null;
    }

    /** The variables in scope at the top of a fiber: those it inherited, then each enclosing loop's and catch's. */
    Map<String, JsonNode> scope(Fiber fiber) {
        Map<String, JsonNode> named = new HashMap<>(fiber.inherited);
        for (Frame frame : fiber.stack) {
            if (frame instanceof Frame.ForFrame loop && loop.index() < loop.items().size()) {
                Task task = definition.task(loop.at());
                boolean isFor = task instanceof Task.ForTask;
                named.put(isFor ? ((Task.ForTask) task).each() : ((Task.ListenTask) task).foreach().item(),
                        loop.items().get(loop.index()));
                named.put(isFor ? ((Task.ForTask) task).index() : ((Task.ListenTask) task).foreach().index(),
                        JsonNodeFactory.instance.numberNode(loop.index()));
            } else if (frame instanceof Frame.CatchFrame c) {
                named.put(((Task.TryTask) definition.task(c.at())).handler().as(), c.error());
            }
        }
        return named;
    }

    JsonNode evaluate(Fiber fiber, String expression, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluate(expression, input, variables(fiber, input, input, at, extra), at);
    }

    JsonNode evaluateAll(Fiber fiber, JsonNode value, JsonNode input, String at, Map<String, JsonNode> extra) {
        return expressions.evaluateAll(value, input, variables(fiber, input, input, at, extra), at);
    }

    boolean test(Fiber fiber, String condition, JsonNode input, String at, Map<String, JsonNode> extra) {
        JsonNode value = evaluate(fiber, condition, input, at, extra);
        return !(value == null || value.isNull() || value.isBoolean() && !value.asBoolean());
    }

    JsonNode transform(Fiber fiber, JsonNode expression, JsonNode value, JsonNode taskInput, String at) {
        if (at.endsWith(OUTPUT_AS)) {
            outputOf = at.substring(0, at.length() - OUTPUT_AS.length());
            rawOutput = value;
        }
        if (expression == null) {
            return value;
        }
        Expressions.Variables scope = variables(fiber, taskInput, value, at, Map.of());
        return expression.isTextual() ? expressions.evaluate(expression.asText(), value, scope, at)
                : expressions.evaluateAll(expression, value, scope, at);
    }

    Duration duration(Fiber fiber, JsonNode node, JsonNode input, String at, Map<String, JsonNode> extra) {
        return Durations.parse(node, expression -> evaluate(fiber, expression, input, at, extra), at);
    }

    /**
     * The arguments of an expression at {@code at}, evaluated on {@code value} with {@code input} as {@code $input}:
     * {@code $task} when {@code at} is inside a task, its raw output in its {@code output.as} and {@code export.as},
     * and {@code $output} (the transformed output, which {@code export.as} is evaluated on) in its
     * {@code export.as}.
     */
    private Expressions.Variables variables(Fiber fiber, JsonNode input, JsonNode value, String at,
            Map<String, JsonNode> extra) {
        Map<String, JsonNode> named = scope(fiber);
        if (definition.namesRuntime()) {
            named.put("runtime", Descriptors.RUNTIME);
        }
        boolean exporting = at.endsWith(EXPORT_AS);
        if (exporting) {
            named.put("output", value);
        }
        // $task is built only where an expression may name it: most never do, and it is the costliest argument
        Task task = definition.mayNameTask(at) ? taskAround(at) : null;
        if (task != null) {
            boolean output = exporting || at.equals(task.at() + OUTPUT_AS);
            named.put("task", task(fiber, task, value, output && task.at().equals(outputOf) ? rawOutput : null));
        }
        if (definition.namesAuthorization() && taskAround(at) instanceof Task.CallTask call) {
            JsonNode policy = call.http() != null ? call.http().authentication()
                    : definition.taskSource(call.at()).path("with").get("authentication");
            JsonNode authorization = Authentications.descriptor(policy,
                    definition.source().path("use").path("authentications"));
            if (authorization != null) {
                named.put("authorization", authorization);
            }
        }
        if (at.contains("/with/") || at.startsWith("/use/authentications/")) {
            // where a call's runner fills secrets in (the definition was refused if it named them anywhere else)
            if (secrets == null) {
                secrets = definition.secrets(progress.executionId, secretReferences);
            }
            if (secrets != null) {
                named.put("secrets", secrets);
            }
        }
        named.putAll(extra);
        return new Expressions.Variables(input, progress.context, workflow, named, definition);
    }

    /**
     * {@code $task} for a task of the fiber: its frame gives its raw input and start; one not entered yet (its
     * {@code if} and {@code input.from}) starts now, on the value they are evaluated on.
     */
    private JsonNode task(Fiber fiber, Task task, JsonNode value, JsonNode rawOutput) {
        for (int i = fiber.stack.size() - 1; i >= 0; i--) {
            if (fiber.stack.get(i) instanceof Frame.TaskFrame frame && frame.at().equals(task.at())) {
                return Descriptors.task(task, definition.taskSource(task.at()), frame.taskInput(), rawOutput,
                        frame.startedAt());
            }
        }
        return Descriptors.task(task, definition.taskSource(task.at()), value, rawOutput, now);
    }

    /** The innermost task whose definition holds the position {@code at}; null for the workflow's own. */
    private Task taskAround(String at) {
        for (String prefix = at; !prefix.isEmpty(); prefix = prefix.substring(0, prefix.lastIndexOf('/'))) {
            Task task = definition.taskAt(prefix);
            if (task != null) {
                return task;
            }
        }
        return null;
    }
}
