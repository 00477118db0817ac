package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.worker.settings.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Subflows through the worker's whole topology: a parent's {@code run: workflow} finds its child in the catalog,
 * starts it through the tenant's scheduler, parks, and goes on with the child's output or error when the child's end
 * comes back; a stop, a pause, a redrive, the depth limit and the start quota with children in flight.
 */
class SubflowTopologyTest {

    private static final String HEAD = "document: {dsl: '1.0.0', namespace: shop, name: %s, version: '%s'}\n";
    private static final Set<ExecutionStatus> TERMINAL = Set.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
            ExecutionStatus.CANCELLED, ExecutionStatus.TIMED_OUT);

    private TopologyHarness harness = new TopologyHarness();
    /** Every status event read so far, in order. */
    private final List<ExecutionStatusChanged> events = new ArrayList<>();
    private final List<ExecutionTaskEnded> steps = new ArrayList<>();

    @AfterEach
    void close() {
        harness.close();
    }

    private void store(String workflowId, int version, String name, String documentVersion, String body) {
        store(workflowId, version, name, documentVersion, body, true, Instant.parse("2026-11-23T09:00:00Z"));
    }

    private void store(String workflowId, int version, String name, String documentVersion, String body,
            boolean active, Instant at) {
        harness.workflows.pipeInput("default/" + workflowId, new WorkflowDefinition("default", workflowId, version,
                DefinitionFormat.YAML, HEAD.formatted(name, documentVersion) + body, active, at));
    }

    private void start(String id, String name, String body) {
        harness.commands.pipeInput(id, TopologyHarness.request(id, HEAD.formatted(name, "0.1.0") + body, "{}"));
    }

    private List<ExecutionStatusChanged> read() {
        events.addAll(harness.status.readValuesToList());
        steps.addAll(harness.tasks.readValuesToList());
        return events;
    }

    /** The terminal event of each execution that ended, by id. */
    private Map<String, ExecutionStatusChanged> ended() {
        Map<String, ExecutionStatusChanged> ended = new LinkedHashMap<>();
        read().stream().filter(e -> TERMINAL.contains(e.getStatus())).forEach(e -> ended.put(e.getExecutionId(), e));
        return ended;
    }

    /** The executions a parent started, from their QUEUED events. */
    private List<ExecutionStatusChanged> childrenOf(String parent) {
        return read().stream().filter(e -> e.getStatus() == ExecutionStatus.QUEUED)
                .filter(e -> parent.equals(e.getParentExecutionId())).toList();
    }

    private ExecutionTaskEnded step(String executionId, String name) {
        read();
        return steps.stream().filter(s -> s.getExecutionId().equals(executionId) && s.getName().equals(name))
                .reduce((a, b) -> b).orElseThrow();
    }

    private static final String DOUBLE = "do: [{double: {set: '${ {n: (.n * 2)} }'}}]\n";

    @Test
    void shouldWaitForTheChildAndGoOnWithItsOutput() {
        store("double", 1, "double", "1.0.0", DOUBLE);
        start("p1", "parent", """
                do:
                  - call:
                      run:
                        workflow: {namespace: shop, name: double, version: '1.0.0', input: {n: 21}}
                  - after: {set: '${ {result: .n} }'}
                """);

        ExecutionStatusChanged child = childrenOf("p1").get(0);
        assertThat(child.getWorkflowId()).isEqualTo("double");
        assertThat(child.getInputJson()).isEqualTo("{\"n\":21}");
        assertThat(child.getMetadata()).containsEntry("trigger", "subflow").containsEntry("parentTask", "/do/0/call");
        Map<String, ExecutionStatusChanged> ended = ended();
        assertThat(ended.get("p1").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ended.get("p1").getOutputJson()).isEqualTo("{\"result\":42}");
        assertThat(ended.get(child.getExecutionId()).getOutputJson()).isEqualTo("{\"n\":42}");
        assertThat(events).filteredOn(e -> e.getExecutionId().equals(child.getExecutionId()))
                .as("every status event of the child names its parent")
                .allSatisfy(e -> assertThat(e.getParentExecutionId()).isEqualTo("p1"));
        assertThat(step("p1", "call").getChildExecutionId()).isEqualTo(child.getExecutionId());
        assertThat(events).filteredOn(e -> e.getExecutionId().equals("p1")
                && e.getStatus() == ExecutionStatus.RUNNING).extracting(ExecutionStatusChanged::getPhase)
                .as("the parent was WAITING on its child").contains(io.runstream.schemas.ExecutionPhase.WAITING);
    }

    @Test
    void shouldGiveTheSameChildIdToTheSameStartAndStartItOnce() {
        store("double", 1, "double", "1.0.0", DOUBLE);
        String parent = "do: [{call: {run: {workflow: {namespace: shop, name: double, version: latest}}}}]\n";
        start("p1", "parent", parent);
        String first = childrenOf("p1").get(0).getExecutionId();
        // the same request again (a replay): nothing new starts
        start("p1", "parent", parent);
        assertThat(childrenOf("p1")).hasSize(1);

        TopologyHarness other = new TopologyHarness();
        try (other) {
            TopologyHarness mine = harness;
            harness = other;
            store("double", 1, "double", "1.0.0", DOUBLE);
            start("p1", "parent", parent);
            assertThat(other.status.readValuesToList()).filteredOn(e -> "p1".equals(e.getParentExecutionId()))
                    .extracting(ExecutionStatusChanged::getExecutionId).as("derived, not drawn").contains(first);
            harness = mine;
        }
    }

    @Test
    void shouldGoOnAtOnceWithItsInputWhenItDoesNotAwait() {
        store("slow", 1, "slow", "1.0.0", "do: [{nap: {wait: PT10S}}, {done: {set: {slept: true}}}]\n");
        start("p1", "parent", """
                do:
                  - fire:
                      input: {from: '${ {order: 7} }'}
                      run: {await: false, workflow: {namespace: shop, name: slow, version: latest}}
                """);

        String child = childrenOf("p1").get(0).getExecutionId();
        assertThat(ended()).containsOnlyKeys("p1");
        assertThat(ended().get("p1").getOutputJson()).isEqualTo("{\"order\":7}");
        assertThat(step("p1", "fire").getChildExecutionId()).isEqualTo(child);

        harness.advance(Duration.ofSeconds(11));
        assertThat(ended().get(child).getOutputJson()).isEqualTo("{\"slept\":true}");
    }

    @Test
    void shouldRaiseTheChildsErrorWhichATryCatches() {
        store("check", 1, "check", "1.0.0", """
                do:
                  - refuse:
                      raise:
                        error: {type: 'https://example.com/out-of-stock', status: 409, title: Out of stock,
                                detail: '${ "no " + .sku }'}
                """);
        start("p1", "parent", """
                do:
                  - guarded:
                      try:
                        - call: {run: {workflow: {namespace: shop, name: check, version: latest, input: {sku: a1}}}}
                      catch:
                        errors: {with: {type: 'https://example.com/out-of-stock'}}
                        do:
                          - note: {set: '${ {caught: $error.title, detail: $error.detail} }'}
                """);

        Map<String, ExecutionStatusChanged> ended = ended();
        String child = childrenOf("p1").get(0).getExecutionId();
        assertThat(ended.get(child).getStatus()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(ended.get("p1").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ended.get("p1").getOutputJson()).isEqualTo("{\"caught\":\"Out of stock\",\"detail\":\"subflow "
                + "shop/check latest (execution " + child + ") failed: no a1 (at /do/0/refuse)\"}");
    }

    @Test
    void shouldFailTheParentWithTheChildsErrorWhenNothingCatchesIt() {
        store("check", 1, "check", "1.0.0", "do: [{refuse: {raise: {error: {type: 'https://e/x', status: 409}}}}]\n");
        start("p1", "parent", "do: [{call: {run: {workflow: {namespace: shop, name: check, version: latest}}}}]\n");

        ExecutionStatusChanged parent = ended().get("p1");
        assertThat(parent.getStatus()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(parent.getError().getMessage()).contains("status 409", "type https://e/x", "at /do/0/call",
                "subflow shop/check latest");
    }

    @Test
    void shouldFailWithAConfigurationErrorWhenNoWorkflowMatches() {
        store("double", 1, "double", "1.0.0", DOUBLE);
        start("p1", "parent", "do: [{call: {run: {workflow: {namespace: shop, name: double, version: '9.9.9'}}}}]\n");

        ExecutionStatusChanged parent = ended().get("p1");
        assertThat(parent.getError().getMessage()).contains("Workflow not found", "namespace 'shop'",
                "name 'double'", "version '9.9.9'", "errors/configuration");
        assertThat(childrenOf("p1")).isEmpty();
    }

    @Test
    void shouldMatchAVersionExactlyAndTakeTheMostRecentlyStoredForLatest() {
        store("double-v1", 1, "double", "1.0.0", "do: [{v: {set: {v: 1}}}]\n", true,
                Instant.parse("2026-11-23T08:00:00Z"));
        store("double-v2", 1, "double", "2.0.0", "do: [{v: {set: {v: 2}}}]\n", true,
                Instant.parse("2026-11-23T09:00:00Z"));
        start("p1", "parent", "do: [{c: {run: {workflow: {namespace: shop, name: double, version: '1.0.0'}}}}]\n");
        start("p2", "parent", "do: [{c: {run: {workflow: {namespace: shop, name: double, version: latest}}}}]\n");
        assertThat(ended().get("p1").getOutputJson()).isEqualTo("{\"v\":1}");
        assertThat(ended().get("p2").getOutputJson()).isEqualTo("{\"v\":2}");

        // a workflow id holds its latest version only: 1.0.0 replaced by 1.1.0 is no longer found
        store("double-v1", 2, "double", "1.1.0", "do: [{v: {set: {v: 11}}}]\n", true,
                Instant.parse("2026-11-23T10:00:00Z"));
        start("p3", "parent", "do: [{c: {run: {workflow: {namespace: shop, name: double, version: '1.0.0'}}}}]\n");
        start("p4", "parent", "do: [{c: {run: {workflow: {namespace: shop, name: double, version: latest}}}}]\n");
        assertThat(ended().get("p3").getError().getMessage()).contains("Workflow not found");
        assertThat(ended().get("p4").getOutputJson()).isEqualTo("{\"v\":11}");
    }

    @Test
    void shouldStopTheAwaitedChildWhenTheParentIsStopped() {
        store("slow", 1, "slow", "1.0.0", "do: [{nap: {wait: PT1H}}]\n");
        start("p1", "parent", "do: [{call: {run: {workflow: {namespace: shop, name: slow, version: latest}}}}]\n");
        String child = childrenOf("p1").get(0).getExecutionId();
        assertThat(ended()).isEmpty();

        ExecutionCommandDecided stopped = harness.decide(TopologyHarness.command("p1", ExecutionCommandType.STOP,
                null));
        assertThat(stopped.getAccepted()).isTrue();
        Map<String, ExecutionStatusChanged> ended = ended();
        assertThat(ended.get("p1").getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(ended.get(child).getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(ended.get(child).getError().getMessage()).isEqualTo("Its parent execution p1 ended CANCELLED");
    }

    @Test
    void shouldStopTheChildrenOfAParentThatEndsOnALimitOutsideItsRun() {
        harness.close();
        harness = new TopologyHarness(TopologyHarness.properties(1_000, 100_000, DataSize.ofKilobytes(8)));
        store("slow", 1, "slow", "1.0.0", "do: [{nap: {wait: PT1H}}]\n");
        start("p1", "parent", """
                do:
                  - both:
                      fork:
                        branches:
                          - child: {run: {workflow: {namespace: shop, name: slow, version: latest}}}
                          - grow:
                              do:
                                - later: {wait: PT1S}
                                - big: {set: '${ {big: ([range(3000)] | map(tostring) | join("-"))} }'}
                                - more: {wait: PT1H}
                """);
        String child = childrenOf("p1").get(0).getExecutionId();

        harness.advance(Duration.ofSeconds(2));
        Map<String, ExecutionStatusChanged> ended = ended();
        assertThat(ended.get("p1").getError().getCode()).isEqualTo("PROGRESS_TOO_LARGE");
        assertThat(ended.get(child).getStatus()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(ended.get(child).getError().getMessage()).isEqualTo("Its parent execution p1 ended FAILED");
    }

    @Test
    void shouldHoldTheChildsEndWhileTheParentIsPausedAndGoOnWhenResumed() {
        store("nap", 1, "nap", "1.0.0", "do: [{nap: {wait: PT5S}}, {done: {set: {woke: true}}}]\n");
        start("p1", "parent", "do: [{call: {run: {workflow: {namespace: shop, name: nap, version: latest}}}}]\n");
        String child = childrenOf("p1").get(0).getExecutionId();
        assertThat(harness.decide(TopologyHarness.command("p1", ExecutionCommandType.PAUSE, null)).getAccepted())
                .isTrue();

        harness.advance(Duration.ofSeconds(6));
        assertThat(ended()).containsOnlyKeys(child);
        assertThat(harness.decide(TopologyHarness.command("p1", ExecutionCommandType.RESUME, null)).getAccepted())
                .isTrue();
        assertThat(ended().get("p1").getOutputJson()).isEqualTo("{\"woke\":true}");
    }

    @Test
    void shouldStartANewChildWhenTheParentIsRedrivenFromTheTaskWhoseChildFailed() {
        store("check", 1, "check", "1.0.0", "do: [{refuse: {raise: {error: {type: 'https://e/x', status: 409}}}}]\n");
        start("p1", "parent", """
                do:
                  - first: {set: {step: 1}}
                  - call: {run: {workflow: {namespace: shop, name: check, version: latest}}}
                """);
        String failedChild = childrenOf("p1").get(0).getExecutionId();
        assertThat(ended().get("p1").getStatus()).isEqualTo(ExecutionStatus.FAILED);

        store("check", 2, "check", "1.0.1", "do: [{pass: {set: {ok: true}}}]\n");
        ExecutionCommandDecided redriven = harness.decide(TopologyHarness.command("p1",
                ExecutionCommandType.REDRIVE, null));
        assertThat(redriven.getAccepted()).isTrue();
        List<ExecutionStatusChanged> children = childrenOf("p1");
        assertThat(children).hasSize(2);
        assertThat(children.get(1).getExecutionId()).as("the redrive count is in the id").isNotEqualTo(failedChild);
        assertThat(ended().get("p1").getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ended().get("p1").getOutputJson()).isEqualTo("{\"ok\":true}");
        assertThat(steps).filteredOn(s -> s.getExecutionId().equals("p1") && s.getName().equals("first"))
                .as("the task before the failed one ran once").hasSize(1);
    }

    /** The default settings with other limits and schedule settings. */
    private static WorkerProperties limited(int maxDepth, int startsPerSecond) {
        WorkerProperties p = TopologyHarness.properties(1_000, 100_000, DataSize.ofKilobytes(512));
        WorkerProperties.Limits l = p.limits();
        return new WorkerProperties(p.topics(), p.partitions(), p.taskHistory(), p.retention(), p.redriveWindow(),
                p.activities(), p.timers(), new WorkerProperties.Limits(l.stepBudget(), l.maxSteps(),
                l.maxProgressSize(), l.expressionHaltAfter(), l.quarantineAfterCrashes(), maxDepth), p.http(),
                p.events(), new WorkerProperties.Schedules(p.schedules().checkInterval(), p.schedules().catalogScan(),
                startsPerSecond), p.secrets(), p.openapi(),
                p.commits(), p.streamsRestartDelay());
    }

    @Test
    void shouldStopAWorkflowThatRunsItselfAtTheDepthLimit() {
        harness.close();
        harness = new TopologyHarness(limited(3, 100));
        store("again", 1, "again", "1.0.0", """
                do:
                  - deeper: {run: {workflow: {namespace: shop, name: again, version: latest}}}
                """);
        start("p1", "again", "do: [{deeper: {run: {workflow: {namespace: shop, name: again, version: latest}}}}]\n");

        Map<String, ExecutionStatusChanged> ended = ended();
        assertThat(ended).as("the first run and three nested ones").hasSize(4)
                .allSatisfy((id, e) -> assertThat(e.getStatus()).isEqualTo(ExecutionStatus.FAILED));
        assertThat(ended.get("p1").getError().getMessage()).contains("Subflows nested too deep",
                "would be 4 deep", "limit of 3", "runstream.worker.limits.max-subflow-depth", "status 508");
    }

    @Test
    void shouldCountChildStartsAgainstTheTenantsStartQuota() {
        harness.close();
        harness = new TopologyHarness(limited(10, 2));
        store("noop", 1, "noop", "1.0.0", "do: [{n: {set: {ok: true}}}]\n");
        start("p1", "parent", """
                do:
                  - many:
                      for: {in: '${ [range(5)] }'}
                      do:
                        - call: {run: {await: false, workflow: {namespace: shop, name: noop, version: latest}}}
                """);

        List<String> children = childrenOf("p1").stream().map(ExecutionStatusChanged::getExecutionId).toList();
        assertThat(children).hasSize(5);
        Map<String, ExecutionStatusChanged> ended = ended();
        assertThat(children).filteredOn(id -> ended.get(id).getStatus() == ExecutionStatus.SUCCEEDED).hasSize(2);
        assertThat(children).filteredOn(id -> ended.get(id).getStatus() == ExecutionStatus.FAILED).hasSize(3)
                .allSatisfy(id -> assertThat(ended.get(id).getError().getMessage())
                        .contains("more than 2 runs a second by schedules, events and subflows"));
    }
}
