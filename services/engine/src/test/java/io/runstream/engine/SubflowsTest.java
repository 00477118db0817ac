package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code run: workflow} in the machine alone: the child it starts (found in a catalog, its id from the parent's id,
 * the task and the number it took), the parent parked until the child's end, its output or its error, and what a
 * stop, a timeout, a lost race and a redrive do to a child in flight.
 */
class SubflowsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CHILD = "document: {dsl: '1.0.0', namespace: t, name: child, version: '1.0.0'}\n"
            + "do: [{s: {set: {ok: true}}}]\n";

    /** The catalog: workflow {@code child-v1} is t/child 1.0.0, {@code paused} is t/paused 1.0.0 and deactivated. */
    private final List<String> lookups = new ArrayList<>();
    private final Subflows catalog = (tenant, namespace, name, version) -> {
        lookups.add(tenant + " " + namespace + "/" + name + " " + version);
        if (!"acme".equals(tenant) || !"t".equals(namespace)) {
            return null;
        }
        if (name.equals("child") && (version.equals("1.0.0") || version.equals(Subflows.LATEST))) {
            return new Subflows.Workflow("child-v1", 3, CHILD, true);
        }
        return name.equals("paused") ? new Subflows.Workflow("paused", 1, CHILD, false) : null;
    };
    private final Machine machine = new Machine(Limits.DEFAULT, (id, ref) -> new byte[SecretReference.MAC_BYTES],
            catalog);

    private static Definition definition(String tasks) throws Exception {
        return Definition.parse(YAML.readTree("document: {dsl: '1.0.0', namespace: t, name: parent, version: "
                + "'0.1.0'}\ndo:\n" + tasks));
    }

    private static JsonNode json(String text) throws Exception {
        return YAML.readTree(text);
    }

    private static Progress progress(int redriveCount, int depth) {
        return new Progress().forExecution("p-1").ownedBy("acme", redriveCount, depth);
    }

    @Test
    void shouldStartTheChildFoundInTheCatalogAndParkUntilItEnds() throws Exception {
        Definition parent = definition("""
                  - call:
                      run:
                        workflow: {namespace: t, name: child, version: '1.0.0', input: {n: '${ .n + 1 }'}}
                      output: {as: '${ {got: .} }'}
                """);
        Progress progress = progress(0, 0);
        Effects started = machine.start(parent, progress, json("{n: 1}"), NOW, 7);

        ChildStart start = started.started().get(0);
        assertThat(lookups).containsExactly("acme t/child 1.0.0");
        assertThat(start.workflowId()).isEqualTo("child-v1");
        assertThat(start.workflowVersion()).as("the version is fixed when the child starts").isEqualTo(3);
        assertThat(start.definition()).isEqualTo(CHILD);
        assertThat(start.input()).isEqualTo(json("{n: 2}"));
        assertThat(start.awaited()).isTrue();
        assertThat(start.executionId()).isEqualTo(Child.idOf("p-1", 0, "/do/0/call", start.seq()));
        assertThat(started.outcome()).isNull();
        assertThat(progress.isParked()).isTrue();
        assertThat(progress.children()).containsOnlyKeys(start.seq());

        Effects ended = machine.childEnded(parent, progress, json("{n: 1}"), start.executionId(),
                ChildOutcome.succeeded(json("{ok: true}")), NOW.plusSeconds(1), 7);
        assertThat(ended.outcome()).isEqualTo(new Outcome.Succeeded(json("{got: {ok: true}}")));
        assertThat(ended.steps()).singleElement().satisfies(step -> {
            assertThat(step.type()).isEqualTo("run");
            assertThat(step.childExecutionId()).isEqualTo(start.executionId());
        });
    }

    @Test
    void shouldIgnoreTheEndOfAChildItDoesNotWaitOn() throws Exception {
        Definition parent = definition("  - call: {run: {workflow: {namespace: t, name: child, version: latest}}}\n");
        Progress progress = progress(0, 0);
        machine.start(parent, progress, json("{}"), NOW, 7);

        Effects stale = machine.childEnded(parent, progress, json("{}"), "someone-else",
                ChildOutcome.succeeded(json("{}")), NOW, 7);
        assertThat(stale.moved()).isFalse();
        assertThat(progress.children()).hasSize(1);
    }

    @Test
    void shouldGoOnAtOnceWithItsTransformedInputWhenItDoesNotAwait() throws Exception {
        Definition parent = definition("""
                  - fire:
                      input: {from: '${ {order: .id} }'}
                      run:
                        await: false
                        workflow: {namespace: t, name: child, version: latest}
                  - after: {set: '${ {was: .} }'}
                """);
        Progress progress = progress(0, 0);
        Effects effects = machine.start(parent, progress, json("{id: 7}"), NOW, 7);

        assertThat(effects.started()).singleElement().satisfies(start -> {
            assertThat(start.awaited()).isFalse();
            assertThat(start.input()).as("no input given: the task's input").isEqualTo(json("{order: 7}"));
        });
        assertThat(effects.outcome()).isEqualTo(new Outcome.Succeeded(json("{was: {order: 7}}")));
        assertThat(effects.steps().get(0).childExecutionId()).isEqualTo(effects.started().get(0).executionId());
    }

    @Test
    void shouldRaiseTheChildsErrorWhichATryCatchesByItsType() throws Exception {
        Definition parent = definition("""
                  - guarded:
                      try:
                        - call: {run: {workflow: {namespace: t, name: child, version: '1.0.0'}}}
                      catch:
                        errors: {with: {type: 'https://example.com/refused', status: 422}}
                        as: failure
                        do:
                          - note: {set: '${ {caught: $failure.detail, at: $failure.instance} }'}
                """);
        Progress progress = progress(0, 0);
        ChildStart start = machine.start(parent, progress, json("{}"), NOW, 7).started().get(0);

        Effects effects = machine.childEnded(parent, progress, json("{}"), start.executionId(), ChildOutcome.failed(
                new WorkflowError("https://example.com/refused", 422, "Refused", "no stock", "/do/1/check")),
                NOW, 7);
        assertThat(effects.outcome()).isInstanceOfSatisfying(Outcome.Succeeded.class, ok -> {
            assertThat(ok.output().path("caught").asText()).isEqualTo("subflow t/child 1.0.0 (execution "
                    + start.executionId() + ") failed: no stock (at /do/1/check)");
            assertThat(ok.output().path("at").asText()).isEqualTo("/do/0/guarded/try/0/call");
        });
    }

    @Test
    void shouldFailWithTheSpecsConfigurationErrorWhenNoWorkflowMatches() throws Exception {
        Definition parent = definition("""
                  - call: {run: {workflow: {namespace: t, name: child, version: '2.0.0'}}}
                """);
        Effects effects = machine.start(parent, progress(0, 0), json("{}"), NOW, 7);

        assertThat(effects.started()).isEmpty();
        assertThat(effects.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.error().type()).endsWith("/errors/configuration");
            assertThat(failed.error().status()).isEqualTo(400);
            assertThat(failed.error().detail()).contains("namespace 't'", "name 'child'", "version '2.0.0'");
            assertThat(failed.error().instance()).isEqualTo("/do/0/call/run/workflow");
        });
        assertThat(effects.redrivePoint()).as("redriven once the workflow exists").isNotNull();
    }

    @Test
    void shouldRefuseADeactivatedWorkflow() throws Exception {
        Effects effects = machine.start(definition("  - call: {run: {workflow: {namespace: t, name: paused, "
                + "version: latest}}}\n"), progress(0, 0), json("{}"), NOW, 7);

        assertThat(effects.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.error().title()).isEqualTo("Workflow inactive"));
    }

    @Test
    void shouldStopAtTheDepthLimitWithAClearError() throws Exception {
        Definition parent = definition("  - call: {run: {workflow: {namespace: t, name: child, version: latest}}}\n");
        Effects deepest = machine.start(parent, progress(0, Limits.MAX_SUBFLOW_DEPTH - 1), json("{}"), NOW, 7);
        assertThat(deepest.started()).hasSize(1);

        Effects tooDeep = machine.start(parent, progress(0, Limits.MAX_SUBFLOW_DEPTH), json("{}"), NOW, 7);
        assertThat(tooDeep.started()).isEmpty();
        assertThat(tooDeep.outcome()).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.error().status()).isEqualTo(508);
            assertThat(failed.error().detail()).contains("11 deep", "limit of 10",
                    "runstream.worker.limits.max-subflow-depth");
        });
        assertThat(lookups).as("refused before the catalog is asked").hasSize(1);
    }

    @Test
    void shouldRefuseAnInputTooLargeToStartAChildWith() throws Exception {
        Effects effects = machine.start(definition("  - call: {run: {workflow: {namespace: t, name: child, "
                + "version: latest, input: {big: '${ [range(200000)] }'}}}}\n"), progress(0, 0), json("{}"), NOW,
                7);

        assertThat(effects.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.error().status()).isEqualTo(413));
    }

    @Test
    void shouldGiveEachIterationItsOwnChildAndTheSameChildWhenReplayed() throws Exception {
        Definition parent = definition("""
                  - each:
                      for: {in: '${ .items }'}
                      do:
                        - call:
                            run: {await: false, workflow: {namespace: t, name: child, version: latest}}
                """);
        Effects first = machine.start(parent, progress(0, 0), json("{items: [1, 2, 3]}"), NOW, 7);
        Effects replayed = machine.start(parent, progress(0, 0), json("{items: [1, 2, 3]}"), NOW.plusSeconds(9),
                7);
        Effects redriven = machine.start(parent, progress(1, 0), json("{items: [1, 2, 3]}"), NOW, 7);

        List<String> ids = first.started().stream().map(ChildStart::executionId).toList();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(replayed.started()).extracting(ChildStart::executionId).isEqualTo(ids);
        assertThat(redriven.started()).extracting(ChildStart::executionId).doesNotContainAnyElementsOf(ids);
    }

    @Test
    void shouldStopTheChildsItWaitsOnWhenStopped() throws Exception {
        Definition parent = definition("""
                  - both:
                      fork:
                        branches:
                          - a: {run: {workflow: {namespace: t, name: child, version: latest}}}
                          - b: {run: {workflow: {namespace: t, name: child, version: latest}}}
                """);
        Progress progress = progress(0, 0);
        Effects started = machine.start(parent, progress, json("{}"), NOW, 7);
        assertThat(started.started()).hasSize(2);

        Effects stopped = machine.cancel(parent, progress, json("{}"), NOW, 7);
        assertThat(stopped.abandonedChildren()).extracting(Child::executionId)
                .containsExactlyInAnyOrderElementsOf(started.started().stream().map(ChildStart::executionId)
                        .toList());
        assertThat(progress.children()).isEmpty();
    }

    @Test
    void shouldStopTheChildAndFailWithTheTimeoutWhenTheTaskTimesOut() throws Exception {
        Definition parent = definition("""
                  - call:
                      timeout: {after: PT5S}
                      run: {workflow: {namespace: t, name: child, version: latest}}
                """);
        Progress progress = progress(0, 0);
        Effects started = machine.start(parent, progress, json("{}"), NOW, 7);
        Timer timeout = started.scheduled().get(0);

        Effects timedOut = machine.timerFired(parent, progress, json("{}"), timeout.seq(), NOW.plusSeconds(5), 7);
        assertThat(timedOut.abandonedChildren()).extracting(Child::executionId)
                .containsExactly(started.started().get(0).executionId());
        assertThat(timedOut.outcome()).isInstanceOf(Outcome.TimedOut.class);
        assertThat(timedOut.steps().get(0).childExecutionId()).isEqualTo(started.started().get(0).executionId());
    }

    @Test
    void shouldNeverStartTheChildOfABranchThatLostTheRaceInTheSameTurn() throws Exception {
        Definition parent = definition("""
                  - race:
                      fork:
                        compete: true
                        branches:
                          - quick: {set: {won: true}}
                          - slow: {run: {workflow: {namespace: t, name: child, version: latest}}}
                """);
        Effects effects = machine.start(parent, progress(0, 0), json("{}"), NOW, 7);

        assertThat(effects.outcome()).isInstanceOf(Outcome.Succeeded.class);
        assertThat(effects.started()).isEmpty();
        assertThat(effects.abandonedChildren()).isEmpty();
    }

    @Test
    void shouldStartANewChildWhenRedrivenFromTheTaskWhoseChildFailed() throws Exception {
        Definition parent = definition("""
                  - first: {set: {step: 1}}
                  - both:
                      fork:
                        branches:
                          - failing: {run: {workflow: {namespace: t, name: child, version: latest}}}
                          - other: {run: {workflow: {namespace: t, name: child, version: latest}}}
                """);
        Progress progress = progress(0, 0);
        List<ChildStart> children = machine.start(parent, progress, json("{}"), NOW, 7).started();

        Effects failed = machine.childEnded(parent, progress, json("{}"), children.get(0).executionId(),
                ChildOutcome.failed(new WorkflowError("https://e/x", 500, "Broken", null, "/do/0/x")), NOW, 7);
        assertThat(failed.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(failed.abandonedChildren()).as("the other child is stopped with the run")
                .extracting(Child::executionId).containsExactly(children.get(1).executionId());

        Progress point = failed.redrivePoint().forExecution("p-1").ownedBy("acme", 1, 0);
        Effects redriven = machine.redrive(parent, point, json("{}"), Duration.ofMinutes(1), NOW.plusSeconds(60), 7);
        assertThat(redriven.started()).as("both tasks run again, each with a new child").hasSize(2)
                .extracting(ChildStart::executionId).doesNotContainAnyElementsOf(children.stream()
                        .map(ChildStart::executionId).toList());
        assertThat(redriven.steps()).as("the completed task is not run again").isEmpty();
        assertThat(point.children()).hasSize(2);
    }
}
