package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each kind of task's handler on its own: a real turn on a one-task definition, entered once, and what the handler
 * left on the fiber, the progress and the effects, with no Kafka.
 */
class TaskHandlersTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private Turn turn;
    private Fiber fiber;

    /** Enters the first task of {@code tasks} (a YAML task list) with {@code input}. */
    private Task enter(String tasks, String input) throws Exception {
        return enter(tasks, input, new Progress());
    }

    /** As {@link #enter(String, String)}, on a run with this progress so far. */
    private Task enter(String tasks, String input, Progress progress) throws Exception {
        JsonNode definition = YAML.readTree("document: {dsl: '1.0.0', namespace: t, name: h, version: '0.1.0'}\n"
                + "do:\n" + tasks);
        Definition parsed = Definition.parse(definition);
        turn = new Turn(parsed, progress, JSON.readTree(input), NOW, 42, Limits.DEFAULT, new Expressions(),
                (id, reference) -> new byte[SecretReference.MAC_BYTES], Subflows.NONE);
        turn.apply(new ProgressEvent.FiberStarted(1, 0, 0, Map.of(), null));
        fiber = progress.fibers.get(1);
        Task task = parsed.root().get(0);
        turn.push(fiber, new Frame.TaskFrame(task.at(), JSON.readTree(input), NOW, 1, 0, 0));
        TaskHandlers.of(task).enter(turn, fiber, task, JSON.readTree(input));
        return task;
    }

    private JsonNode returned() {
        assertThat(fiber.next).isInstanceOf(Signal.Return.class);
        return ((Signal.Return) fiber.next).output();
    }

    @Test
    void everyKindOfTaskHasAHandler() {
        assertThat(Arrays.stream(Task.class.getPermittedSubclasses()).map(kind -> kind.getSimpleName()))
                .hasSize(13);
        for (Class<?> kind : Task.class.getPermittedSubclasses()) {
            Task.Common common = new Task.Common("x", "/do/0/x", null, null, null, null, Flow.CONTINUE, null);
            Task task = switch (kind.getSimpleName()) {
                case "SetTask" -> new Task.SetTask(common, null);
                case "SwitchTask" -> new Task.SwitchTask(common, List.of());
                case "RaiseTask" -> new Task.RaiseTask(common, null);
                case "WaitTask" -> new Task.WaitTask(common, null);
                case "DoTask" -> new Task.DoTask(common, null);
                case "ForTask" -> new Task.ForTask(common, "item", "index", ".", null, null);
                case "ForkTask" -> new Task.ForkTask(common, List.of(), false);
                case "TryTask" -> new Task.TryTask(common, null, null);
                case "CallTask" -> new Task.CallTask(common, "http", null, null);
                case "EmitTask" -> new Task.EmitTask(common, null);
                case "ListenTask" -> new Task.ListenTask(common, null, Consumption.Read.DATA, null);
                case "RunWorkflowTask" -> new Task.RunWorkflowTask(common, "t", "child", "latest", null, true);
                case "UnsupportedTask" -> new Task.UnsupportedTask(common, "emit");
                default -> throw new AssertionError("a kind this test does not know: " + kind);
            };
            assertThat(TaskHandlers.of(task)).as(kind.getSimpleName()).isNotNull();
        }
    }

    @Test
    void setReturnsItsValueEvaluated() throws Exception {
        enter("  - s: {set: {y: '${ .x + 1 }'}}\n", "{\"x\":1}");
        assertThat(returned()).isEqualTo(JSON.readTree("{\"y\":2}"));
    }

    @Test
    void switchGoesWhereTheFirstMatchingCaseSays() throws Exception {
        enter("  - s: {switch: [{no: {when: '.x > 5', then: exit}}, {yes: {when: '.x > 0', then: end}}]}\n",
                "{\"x\":1}");
        assertThat(((Signal.Return) fiber.next).flow()).isEqualTo(Flow.END);
    }

    @Test
    void raiseThrowsItsErrorWithItsFieldsEvaluated() throws Exception {
        enter("  - r: {raise: {error: {type: https://e/x, status: 409, title: T, detail: '${ .why }'}}}\n",
                "{\"why\":\"taken\"}");
        assertThat(fiber.next).isInstanceOfSatisfying(Signal.Throw.class, t -> {
            assertThat(t.error().status()).isEqualTo(409);
            assertThat(t.error().detail()).isEqualTo("taken");
        });
    }

    @Test
    void waitSetsADurableTimerAndReturnsItsInputWhenItFires() throws Exception {
        Task task = enter("  - w: {wait: PT5S}\n", "{\"a\":1}");
        Timer timer = turn.effects.scheduled().get(0);
        assertThat(timer.kind()).isEqualTo(Timer.Kind.WAIT);
        assertThat(timer.due()).isEqualTo(NOW.plusSeconds(5));
        assertThat(fiber.next).as("the fiber waits").isNull();

        TaskHandlers.of(task).timerFired(turn, fiber, task, timer);
        assertThat(returned()).isEqualTo(JSON.readTree("{\"a\":1}"));
    }

    @Test
    void callDispatchesAFullyResolvedRequestAndReturnsTheResponse() throws Exception {
        Task task = enter("  - c: {call: http, with: {method: get, endpoint: 'http://127.0.0.1:9/o/{id}'}}\n",
                "{\"id\":7}");
        Activity activity = turn.effects.dispatched().get(0);
        assertThat(activity.request().uri()).isEqualTo("http://127.0.0.1:9/o/7");

        TaskHandlers.of(task).activityReported(turn, fiber, task, activity, HttpResponse.of(200,
                Map.of("Content-Type", "application/json"), "{\"ok\":true}".getBytes()));
        assertThat(returned()).isEqualTo(JSON.readTree("{\"ok\":true}"));
    }

    @Test
    void forRunsItsBodyPerItemAndReturnsTheLastOutput() throws Exception {
        Task task = enter("  - f: {for: {in: .items}, do: [{s: {set: '${ . + [$item] }'}}]}\n",
                "{\"items\":[1,2]}");
        assertThat(fiber.top()).isInstanceOf(Frame.ListFrame.class);
        turn.pop(fiber);
        TaskHandlers.of(task).returned(turn, fiber, task, fiber.top(), JSON.readTree("[1]"), Flow.CONTINUE);
        turn.pop(fiber);
        TaskHandlers.of(task).returned(turn, fiber, task, fiber.top(), JSON.readTree("[1,2]"), Flow.CONTINUE);
        assertThat(returned()).isEqualTo(JSON.readTree("[1,2]"));
    }

    @Test
    void tryCatchesAMatchingErrorAndSchedulesARetry() throws Exception {
        Task task = enter("  - t: {try: [{r: {raise: {error: {type: x, status: 503}}}}], catch: {errors: {with: "
                + "{status: 503}}, retry: {delay: {seconds: 2}, limit: {attempt: {count: 1}}}}}\n", "{}");
        turn.pop(fiber);
        TaskHandlers.of(task).threw(turn, fiber, task, fiber.top(),
                new WorkflowError("x", 503, "Busy", null, "/do/0/t/try/0/r"));
        assertThat(turn.effects.scheduled()).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(Timer.Kind.RETRY));

        TaskHandlers.of(task).threw(turn, fiber, task, new Frame.CatchFrame("/do/0/t", JSON.readTree("{}")),
                new WorkflowError("x", 500, "Other", null, "/do/0/t/catch/do/0/z"));
        assertThat(fiber.next).as("an error in catch.do goes up").isInstanceOf(Signal.Throw.class);
    }

    @Test
    void forkStartsAFiberPerBranchAndReturnsTheirOutputsInOrder() throws Exception {
        Task task = enter("  - f: {fork: {branches: [{a: {set: {a: 1}}}, {b: {set: {b: 2}}}]}}\n", "{}");
        List<Fiber> branches = turn.progress.fibers.values().stream().filter(f -> f.parent == fiber.id).toList();
        assertThat(branches).hasSize(2);

        TaskHandlers.of(task).branchEnded(turn, fiber, task, branches.get(1), JSON.readTree("{\"b\":2}"), null);
        assertThat(fiber.next).as("one branch still runs").isNull();
        TaskHandlers.of(task).branchEnded(turn, fiber, task, branches.get(0), JSON.readTree("{\"a\":1}"), null);
        assertThat(returned()).isEqualTo(JSON.readTree("[{\"a\":1},{\"b\":2}]"));
    }

    @Test
    void emitWritesTheEventWithTheStepsEffectsAndReturnsIt() throws Exception {
        enter("  - e: {emit: {event: {with: {type: t.placed, subject: '${ .id }', data: {n: 1}}}}}\n",
                "{\"id\":\"o-7\"}");
        assertThat(turn.effects.emitted()).singleElement().satisfies(event -> {
            assertThat(event.path("type").asText()).isEqualTo("t.placed");
            assertThat(event.path("subject").asText()).isEqualTo("o-7");
            assertThat(event.path("source").asText()).isEqualTo("/t/h/0.1.0");
            assertThat(event.path("time").asText()).isEqualTo(NOW.toString());
            assertThat(event.path(Subscription.HOPS).asInt()).as("first of its chain").isEqualTo(1);
            assertThat(returned()).as("the output is the event as the spec makes it")
                    .isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) event.deepCopy())
                            .without(Subscription.HOPS));
        });
        assertThat(turn.progress.seq()).as("the event took a number").isEqualTo(1);
    }

    @Test
    void emitPastTheLongestChainOfEventsFailsWithARuntimeError() throws Exception {
        assertThatThrownBy(() -> enter("  - e: {emit: {event: {with: {type: t.placed}}}}\n", "{}",
                new Progress(Limits.MAX_HOPS)))
                .isInstanceOf(WorkflowError.class)
                .satisfies(e -> assertThat(((WorkflowError) e).type()).endsWith("/errors/runtime"))
                .hasMessageContaining("would be the 17th emitted one after another")
                .hasMessageContaining("runstream.worker.events.max-hops");
        assertThat(turn.effects.emitted()).isEmpty();
    }

    @Test
    void aKindNotRunYetFailsWhenReached() throws Exception {
        assertThatThrownBy(() -> enter("  - l: {run: {shell: {command: echo}}}\n", "{}"))
                .isInstanceOf(WorkflowError.class).hasMessageContaining("'run' task");
    }
}
