package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Runs a Serverless Workflow 1.0 definition (already validated at PUT) against an input. This first slice of the
 * engine covers {@code do}, {@code set}, {@code switch}, {@code raise}, {@code if}, {@code then} (continue, exit,
 * end, a task name) and the {@code input.from} / {@code output.as} / {@code export.as} transformations; any other
 * task fails the run with a "Not supported yet" error naming the task, never silently.
 */
public final class WorkflowInterpreter {

    private static final Set<String> SUPPORTED = Set.of("do", "set", "switch", "raise");
    private static final String CONTINUE = "continue";
    private static final String EXIT = "exit";
    private static final String END = "end";

    private final Expressions expressions = new Expressions();

    /** Runs the workflow to its output, or throws the {@link WorkflowError} that ended it. */
    public JsonNode run(JsonNode workflow, JsonNode rawInput) {
        Run run = new Run(workflow, rawInput);
        JsonNode input = transform(workflow.path("input").get("from"), rawInput, run, "/input/from");
        JsonNode output = runList(workflow.path("do"), input, run, "/do").output();
        return transform(workflow.path("output").get("as"), output, run, "/output/as");
    }

    private Outcome runList(JsonNode tasks, JsonNode input, Run run, String at) {
        JsonNode current = input;
        int i = 0;
        while (i < tasks.size()) {
            Map.Entry<String, JsonNode> task = tasks.get(i).fields().next();
            String taskAt = at + "/" + i + "/" + task.getKey();
            Outcome outcome = runTask(task.getValue(), current, run, taskAt);
            current = outcome.output();
            switch (outcome.directive()) {
                case CONTINUE -> i++;
                case EXIT -> {
                    return new Outcome(current, CONTINUE);
                }
                case END -> {
                    return outcome;
                }
                default -> i = indexOf(tasks, outcome.directive(), taskAt);
            }
        }
        return new Outcome(current, CONTINUE);
    }

    private Outcome runTask(JsonNode task, JsonNode input, Run run, String at) {
        JsonNode condition = task.get("if");
        if (condition != null && !truthy(expressions.evaluate(condition.asText(), input, run.variables(input), at))) {
            return new Outcome(input, CONTINUE);
        }
        JsonNode taskInput = transform(task.path("input").get("from"), input, run, at + "/input/from");
        String type = typeOf(task, at);
        Outcome outcome = switch (type) {
            case "set" -> new Outcome(expressions.evaluateAll(task.get("set"), taskInput, run.variables(taskInput),
                    at + "/set"), CONTINUE);
            case "switch" -> new Outcome(taskInput, chooseCase(task.get("switch"), taskInput, run, at));
            case "raise" -> throw raise(task.get("raise").path("error"), taskInput, run, at);
            default -> runList(task.get("do"), taskInput, run, at + "/do");
        };
        JsonNode output = transform(task.path("output").get("as"), outcome.output(), run, at + "/output/as");
        JsonNode export = task.path("export").get("as");
        if (export != null) {
            run.context = expressions.evaluate(export.asText(), output, run.variables(taskInput), at + "/export/as");
        }
        String directive = outcome.directive();
        if (CONTINUE.equals(directive) && task.hasNonNull("then")) {
            directive = task.get("then").asText();
        }
        return new Outcome(output, directive);
    }

    private String chooseCase(JsonNode cases, JsonNode input, Run run, String at) {
        for (int i = 0; i < cases.size(); i++) {
            Map.Entry<String, JsonNode> c = cases.get(i).fields().next();
            JsonNode when = c.getValue().get("when");
            if (when == null || truthy(expressions.evaluate(when.asText(), input, run.variables(input),
                    at + "/switch/" + i + "/" + c.getKey() + "/when"))) {
                return c.getValue().path("then").asText(CONTINUE);
            }
        }
        return CONTINUE;
    }

    private WorkflowError raise(JsonNode error, JsonNode input, Run run, String at) {
        JsonNode e = expressions.evaluateAll(error, input, run.variables(input), at + "/raise/error");
        return new WorkflowError(e.path("type").asText(null), e.path("status").asInt(0), e.path("title").asText(null),
                e.path("detail").asText(null), at);
    }

    private JsonNode transform(JsonNode expression, JsonNode value, Run run, String at) {
        if (expression == null) {
            return value;
        }
        return expression.isTextual() ? expressions.evaluate(expression.asText(), value, run.variables(value), at)
                : expressions.evaluateAll(expression, value, run.variables(value), at);
    }

    private static String typeOf(JsonNode task, String at) {
        for (Iterator<String> names = task.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (SUPPORTED.contains(name)) {
                return name;
            }
            if (Set.of("call", "emit", "for", "fork", "listen", "run", "try", "wait").contains(name)) {
                throw WorkflowError.unsupported(at, "The '" + name + "' task");
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
        throw new WorkflowError("https://serverlessworkflow.io/spec/1.0.0/errors/configuration", 400,
                "Unknown flow directive", "'then: " + name + "' names no task in the same list", at);
    }

    private static boolean truthy(JsonNode value) {
        return !(value == null || value.isNull() || value.isBoolean() && !value.asBoolean());
    }

    /** The state of one run: the workflow descriptor and the exported context. */
    private static final class Run {

        private final JsonNode workflow;
        private JsonNode context = JsonNodeFactory.instance.objectNode();

        Run(JsonNode definition, JsonNode rawInput) {
            ObjectNode descriptor = JsonNodeFactory.instance.objectNode();
            descriptor.set("definition", definition);
            descriptor.set("input", rawInput);
            this.workflow = descriptor;
        }

        Expressions.Variables variables(JsonNode input) {
            return new Expressions.Variables(input, context, workflow);
        }
    }

    /** A task's or list's output and where the flow goes next. */
    private record Outcome(JsonNode output, String directive) {
    }
}
