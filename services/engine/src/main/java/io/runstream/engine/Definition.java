package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow definition parsed once into typed tasks, each findable by its position, so progress can name where an
 * execution is with a JSON pointer and nothing else. References to {@code use} components are resolved when
 * reached, as the DSL allows a definition to name one that a run never needs.
 */
public final class Definition {

    /** Task types in the order they are recognized: a {@code for} or {@code try} task also has other keys. */
    private static final List<String> TYPES = List.of("for", "fork", "try", "call", "set", "switch", "raise", "wait",
            "emit", "listen", "run", "do");

    private final JsonNode source;
    private final TaskList root;
    private final Map<String, Task> tasks = new HashMap<>();
    private final Map<String, TaskList> lists = new HashMap<>();
    private final List<Problem> problems;
    private final DataSchemas schemas;
    private final boolean useNamesTask;
    /** Whether any expression of it names {@code $workflow} or {@code $runtime}; most do not. */
    private final boolean namesWorkflow;
    private final boolean namesRuntime;
    private final boolean namesAuthorization;
    private final Map<String, Boolean> namesTask = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, JsonNode> taskSources = new java.util.concurrent.ConcurrentHashMap<>();
    /** Its schedule, read when first asked for (null until then). */
    private volatile java.util.Optional<Schedule> schedule;

    /** Its expressions, compiled when it was parsed, by jq text. */
    private final Map<String, net.thisptr.jackson.jq.JsonQuery> queries;
    /** What its {@code $secrets} name (see {@link SecretReference}). */
    private final java.util.Set<SecretReference> secretReferences;

    private Definition(JsonNode source, DefinitionCheck.Result checked) {
        List<Problem> problems = checked.problems();
        this.queries = checked.queries();
        this.secretReferences = checked.references();
        this.source = source;
        this.root = list(source.path("do"), "/do");
        this.useNamesTask = source.path("use").toString().contains("$task");
        String text = source.toString();
        this.namesWorkflow = text.contains("$workflow");
        this.namesRuntime = text.contains("$runtime");
        this.namesAuthorization = text.contains("$authorization");
        this.schemas = DataSchemas.compile(source, tasks.keySet());
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(schemas.problems());
        this.problems = List.copyOf(all);
    }

    /** Parses a definition that was validated when it was stored. */
    public static Definition parse(JsonNode source) {
        return new Definition(source, DefinitionCheck.check(source));
    }

    /** The compiled expression of this jq text, or null if it is not one of the definition's. */
    net.thisptr.jackson.jq.JsonQuery query(String jq) {
        return queries.get(jq);
    }

    /** When it starts by itself: its {@code schedule}, if it has one. */
    public java.util.Optional<Schedule> schedule() {
        // read once: a worker asks at every end of a run and at every event for a schedule's on
        java.util.Optional<Schedule> read = schedule;
        if (read == null) {
            read = Schedule.of(source);
            schedule = read;
        }
        return read;
    }

    /** Its mistakes that a run would trip on ({@link DefinitionCheck}); none for a sound definition. */
    public List<Problem> problems() {
        return problems;
    }

    JsonNode source() {
        return source;
    }

    /** Its data's JSON Schemas, compiled. */
    DataSchemas schemas() {
        return schemas;
    }

    /**
     * Where a workflow input breaks the workflow's {@code input.schema} ("pointer: message"); empty when it holds,
     * or when there is none. The ingress refuses such a start; the worker fails it with the validation error.
     */
    public java.util.Optional<String> inputViolation(JsonNode input) {
        return schemas.violation(DataContract.WORKFLOW_INPUT, input);
    }

    TaskList root() {
        return root;
    }

    JsonNode inputFrom() {
        return source.path("input").get("from");
    }

    JsonNode outputAs() {
        return source.path("output").get("as");
    }

    /** The workflow's timeout, resolved; null for none. */
    Component timeout() {
        JsonNode timeout = source.get("timeout");
        return timeout == null ? null : Component.resolve(source.path("use"), "timeouts", timeout, "/timeout");
    }

    Task task(String at) {
        Task task = tasks.get(at);
        if (task == null) {
            throw new IllegalStateException("No task at " + at + " in this definition");
        }
        return task;
    }

    /** The task at {@code at}; null when there is none there. */
    Task taskAt(String at) {
        return tasks.get(at);
    }

    /**
     * Whether an expression evaluated at {@code at} may name {@code $task}: it does if the text there does, or, as
     * a value there may name a component under {@code use}, if any component does. Asked once per position, so a
     * definition that never names it never pays for building it.
     */
    boolean mayNameTask(String at) {
        return namesTask.computeIfAbsent(at, where -> {
            if (useNamesTask) {
                return true;
            }
            JsonNode node = source.at(where);
            return node.isMissingNode() || node.toString().contains("$task");
        });
    }

    boolean namesWorkflow() {
        return namesWorkflow;
    }

    /**
     * {@code $secrets} for an execution: each name and field its expressions use, holding the token that stands for
     * it ({@link SecretReference}); null when they use none.
     */
    JsonNode secrets(String executionId, SecretReferences references) {
        if (secretReferences.isEmpty()) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (SecretReference reference : secretReferences) {
            com.fasterxml.jackson.databind.node.ObjectNode at = tree;
            List<String> names = new ArrayList<>(reference.path());
            names.add(0, reference.secret());
            for (String name : names.subList(0, names.size() - 1)) {
                at = at.get(name) instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : at.putObject(name);
            }
            at.put(names.get(names.size() - 1), references.token(executionId, reference));
        }
        return tree;
    }

    /** Whether any expression of it names {@code $authorization}; most do not. */
    boolean namesAuthorization() {
        return namesAuthorization;
    }

    boolean namesRuntime() {
        return namesRuntime;
    }

    /** The task's own part of the definition, as {@code $task.definition} gives it. */
    JsonNode taskSource(String at) {
        return taskSources.computeIfAbsent(at, source::at);
    }

    TaskList list(String at) {
        TaskList list = lists.get(at);
        if (list == null) {
            throw new IllegalStateException("No task list at " + at + " in this definition");
        }
        return list;
    }

    private TaskList list(JsonNode node, String at) {
        List<Task> parsed = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Map.Entry<String, JsonNode> entry = node.get(i).properties().iterator().next();
            parsed.add(task(entry.getKey(), entry.getValue(), at + "/" + i + "/" + entry.getKey()));
        }
        TaskList list = new TaskList(at, List.copyOf(parsed));
        lists.put(at, list);
        return list;
    }

    private Task task(String name, JsonNode node, String at) {
        Task.Common common = new Task.Common(name, at, text(node.get("if")), node.path("input").get("from"),
                node.path("output").get("as"), node.path("export").get("as"),
                Flow.parse(node.hasNonNull("then") ? node.get("then").asText() : null),
                node.get("timeout") == null ? null
                        : Component.resolve(source.path("use"), "timeouts", node.get("timeout"), at + "/timeout"));
        Task task = switch (typeOf(node)) {
            case "set" -> new Task.SetTask(common, node.get("set"));
            case "switch" -> new Task.SwitchTask(common, cases(node.get("switch"), at));
            case "raise" -> new Task.RaiseTask(common, Component.resolve(source.path("use"), "errors",
                    node.get("raise").path("error"), at + "/raise/error"));
            case "wait" -> new Task.WaitTask(common, node.get("wait"));
            case "do" -> new Task.DoTask(common, list(node.get("do"), at + "/do"));
            case "for" -> forTask(common, node, at);
            case "fork" -> forkTask(common, node.get("fork"), at);
            case "try" -> tryTask(common, node, at);
            case "emit" -> new Task.EmitTask(common, node.path("emit").path("event").path("with"));
            case "listen" -> new Task.ListenTask(common, Consumption.parse(node.path("listen").path("to")),
                    Consumption.read(node.path("listen").get("read")), iterator(node.get("foreach"), at));
            case "run" -> run(common, node.get("run"));
            case "call" -> new Task.CallTask(common, node.path("call").asText(),
                    "http".equals(node.path("call").asText()) ? HttpCall.parse(node.path("with")) : null,
                    "openapi".equals(node.path("call").asText()) ? OpenApiCall.parse(node.path("with")) : null);
            case "" -> new Task.UnsupportedTask(common, "unknown");
            default -> new Task.UnsupportedTask(common, typeOf(node));
        };
        tasks.put(at, task);
        return task;
    }

    /** A {@code run}: a workflow runs as a subflow; a process (shell, container, script) is not run. */
    private static Task run(Task.Common common, JsonNode run) {
        JsonNode workflow = run == null ? null : run.get("workflow");
        if (workflow == null || !workflow.isObject()) {
            return new Task.UnsupportedTask(common, "run");
        }
        return new Task.RunWorkflowTask(common, workflow.path("namespace").asText(), workflow.path("name").asText(),
                workflow.path("version").asText(Subflows.LATEST), workflow.get("input"),
                run.path("await").asBoolean(true));
    }

    private static List<Task.SwitchTask.Case> cases(JsonNode node, String at) {
        List<Task.SwitchTask.Case> cases = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Map.Entry<String, JsonNode> c = node.get(i).properties().iterator().next();
            cases.add(new Task.SwitchTask.Case(text(c.getValue().get("when")),
                    at + "/switch/" + i + "/" + c.getKey() + "/when",
                    Flow.parse(c.getValue().path("then").asText("continue"))));
        }
        return List.copyOf(cases);
    }

    private Task forTask(Task.Common common, JsonNode node, String at) {
        JsonNode loop = node.get("for");
        return new Task.ForTask(common, loop.path("each").asText("item"), loop.path("at").asText("index"),
                loop.path("in").asText(), text(node.get("while")), list(node.path("do"), at + "/do"));
    }

    /** A listen's {@code foreach}, or null. */
    private Task.ListenTask.Iterator iterator(JsonNode foreach, String at) {
        if (foreach == null || !foreach.isObject()) {
            return null;
        }
        return new Task.ListenTask.Iterator(foreach.path("item").asText("item"), foreach.path("at").asText("index"),
                list(foreach.path("do"), at + "/foreach/do"), foreach.path("output").get("as"),
                foreach.path("export").get("as"));
    }

    private Task forkTask(Task.Common common, JsonNode fork, String at) {
        JsonNode branches = fork.path("branches");
        List<Task> parsed = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Map.Entry<String, JsonNode> branch = branches.get(i).properties().iterator().next();
            parsed.add(task(branch.getKey(), branch.getValue(), at + "/fork/branches/" + i + "/" + branch.getKey()));
        }
        return new Task.ForkTask(common, List.copyOf(parsed), fork.path("compete").asBoolean(false));
    }

    private Task tryTask(Task.Common common, JsonNode node, String at) {
        JsonNode handler = node.path("catch");
        Map<String, String> errorsWith = new java.util.LinkedHashMap<>();
        handler.path("errors").path("with").properties()
                .forEach(p -> errorsWith.put(p.getKey(), p.getValue().asText()));
        JsonNode retry = handler.get("retry");
        Task.TryTask.Catch c = new Task.TryTask.Catch(Map.copyOf(errorsWith),
                handler.path("as").asText("error"), text(handler.get("when")), text(handler.get("exceptWhen")),
                retry == null ? null : Component.resolve(source.path("use"), "retries", retry, at + "/catch/retry"),
                handler.has("do") ? list(handler.get("do"), at + "/catch/do") : null);
        return new Task.TryTask(common, list(node.get("try"), at + "/try"), c);
    }

    private static String typeOf(JsonNode node) {
        for (String type : TYPES) {
            if (node.has(type)) {
                return type;
            }
        }
        return "";
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
