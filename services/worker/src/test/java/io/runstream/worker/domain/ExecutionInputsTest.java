package io.runstream.worker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.engine.Limits;
import io.runstream.engine.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions of one input on the stored state, made with plain-Java stores behind the ports: no Kafka. */
class ExecutionInputsTest {

    private static final String SET = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - mark:
                  set: {done: true}
            """;

    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    private final Map<String, Integer> crashes = new HashMap<>();
    private final Map<String, CommandOutcome> decided = new HashMap<>();
    private final Map<String, ExecutionStatus> finished = new HashMap<>();
    private final Map<String, String> texts = new HashMap<>();
    private final ExecutionInputs inputs = new ExecutionInputs(
            new ExecutionStateMachine(new Machine(new Limits(50, 10_000, Duration.ofSeconds(60), 2)),
                    Duration.ofDays(14)),
            new ExecutionInputs.Ports(new Texts(), new Finished(), (id, now) -> null,
                    (id, commandId, now) -> decided.get(id + "/" + commandId),
                    id -> crashes.getOrDefault(id, 0), execution -> execution.inputJson().length()), 2, 4_096);

    private static ExecutionRequest request(String definition) {
        return new ExecutionRequest("e1", "t", "demo", null, definition, "{}", Instant.parse("2026-11-23T09:59:59Z"),
                Map.of());
    }

    private static ExecutionCommand command(String tenant, ExecutionCommand.Kind kind) {
        return new ExecutionCommand("c1", "e1", tenant, kind, null, null, Instant.parse("2026-11-23T09:59:59Z"));
    }

    @Test
    void shouldRunAStartAndKeepItsDefinitionByReference() {
        WorkerInput start = new WorkerInput.Start(request(SET));

        assertThat(inputs.admit(start, null, t0)).isInstanceOf(Admission.Run.class);
        Decision decision = inputs.decide(start, null, t0);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(decision.next().definition()).startsWith("sha256:");
        assertThat(texts).containsValue(SET);
    }

    @Test
    void shouldEndAnExecutionWhoseStateWouldOutgrowTheBoundAfterTheChangesItMade() {
        String waits = "document: {dsl: '1.0.0', namespace: t, name: w, version: '0.1.0'}\n"
                + "do:\n  - pause: {wait: PT1H}\n";
        ExecutionRequest big = new ExecutionRequest("e1", "t", "demo", null, waits,
                "{\"blob\":\"" + "x".repeat(5_000) + "\"}", Instant.parse("2026-11-23T09:59:59Z"), Map.of());

        Decision decision = inputs.decide(new WorkerInput.Start(big), null, t0);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(decision.changes()).extracting(c -> c.execution().status()).containsExactly(
                ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.FAILED);
        assertThat(decision.changes().get(2).error().code()).isEqualTo("PROGRESS_TOO_LARGE");
        assertThat(decision.changes().get(2).error().message()).contains("5011 bytes").contains("4096");
        assertThat(decision.effects()).as("nothing the run asked for is carried out").isNull();
        assertThat(decision.dropped()).as("its wait's timer is dropped").isNotEmpty();
        assertThat(inputs.decide(new WorkerInput.Start(request(SET)), null, t0).next().status())
                .as("a small one is not touched").isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void shouldRejectAStartOfAWorkflowTheCatalogDoesNotKnow() {
        Decision decision = inputs.decide(new WorkerInput.Start(request(null)), null, t0);

        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(decision.changes().get(1).error().code()).isEqualTo("WORKFLOW_NOT_FOUND");
    }

    @Test
    void shouldDropALateInputOfAFinishedExecution() {
        finished.put("e1", ExecutionStatus.SUCCEEDED);

        assertThat(inputs.admit(new WorkerInput.Continuation("e1", 3), null, t0))
                .isInstanceOf(Admission.Skip.class);
    }

    @Test
    void shouldQuarantineANewExecutionThatCrashedInstancesAsRejected() {
        crashes.put("e1", 2);

        Admission admission = inputs.admit(new WorkerInput.Start(request(SET)), null, t0);

        assertThat(admission).isInstanceOf(Admission.Quarantine.class);
        Decision decision = ((Admission.Quarantine) admission).decision();
        assertThat(decision.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(decision.changes().get(1).error().code()).isEqualTo("QUARANTINED");
    }

    @Test
    void shouldAnswerACommandSentAgainAsItWasAnsweredAndRefuseAnotherUnderItsId() {
        CommandOutcome earlier = new CommandOutcome(command("t", ExecutionCommand.Kind.PAUSE), true, null, null,
                ExecutionStatus.RUNNING, 4L, 0, t0.minusSeconds(5));
        decided.put("e1/c1", earlier);

        Admission same = inputs.admit(new WorkerInput.Command(command("t", ExecutionCommand.Kind.PAUSE)), null, t0);
        Admission other = inputs.admit(new WorkerInput.Command(command("t", ExecutionCommand.Kind.STOP)), null, t0);
        Admission foreign = inputs.admit(new WorkerInput.Command(command("u", ExecutionCommand.Kind.PAUSE)), null,
                t0);

        assertThat(((Admission.Repeat) same).outcome()).isEqualTo(earlier);
        assertThat(((Admission.Repeat) other).outcome().code()).isEqualTo("COMMAND_ID_REUSED");
        assertThat(((Admission.Repeat) foreign).outcome().code()).isEqualTo("EXECUTION_NOT_FOUND");
        assertThat(((Admission.Repeat) foreign).outcome().command().tenant()).isEqualTo("u");
    }

    @Test
    void shouldHoldACommandForAnExecutionNotSeenUntilTheStartsBeforeItAreRead() {
        WorkerInput.Command stop = new WorkerInput.Command(command("t", ExecutionCommand.Kind.STOP));

        assertThat(inputs.admit(stop, null, t0)).as("its start may be on its way").isInstanceOf(Admission.Hold.class);
        assertThat(inputs.admit(new WorkerInput.Command(stop.command(), true), null, t0))
                .as("the starts before it are read").isInstanceOf(Admission.Run.class);
        assertThat(inputs.decide(new WorkerInput.Command(stop.command(), true), null, t0).outcome().code())
                .isEqualTo("EXECUTION_NOT_FOUND");
        assertThat(inputs.admit(new WorkerInput.Command(command("t", ExecutionCommand.Kind.REDRIVE)), null, t0))
                .as("a redrive is for an execution that ended").isInstanceOf(Admission.Run.class);
        Execution live = inputs.decide(new WorkerInput.Start(request(SET.replace("set: {done: true}",
                "wait: PT1H"))), null, t0).next();
        assertThat(inputs.admit(stop, live, t0)).isInstanceOf(Admission.Run.class);

        finished.put("e1", ExecutionStatus.SUCCEEDED);
        assertThat(inputs.admit(stop, null, t0)).as("finished, so known").isInstanceOf(Admission.Run.class);
        assertThat(inputs.decide(stop, null, t0).outcome().code()).isEqualTo("EXECUTION_FINISHED");
    }

    @Test
    void shouldEndTheExecutionFailedWithEngineErrorWhenTheStepThrows() {
        Decision fault = inputs.fault(new WorkerInput.Start(request(SET)), null, new IllegalStateException("boom"),
                t0);

        assertThat(fault.next().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(fault.changes().get(1).error().message()).contains("boom");
    }

    private final class Texts implements DefinitionStore {

        @Override
        public WorkflowVersion current(String tenant, String workflowId) {
            return null;
        }

        @Override
        public String remember(String text) {
            String reference = "sha256:" + Integer.toHexString(text.hashCode());
            texts.put(reference, text);
            return reference;
        }

        @Override
        public String text(String definition) {
            return texts.getOrDefault(definition, definition);
        }
    }

    private final class Finished implements FinishedStore {

        @Override
        public boolean contains(String executionId, long now) {
            return finished.containsKey(executionId);
        }

        @Override
        public ExecutionStatus status(String executionId, String tenant, long now) {
            return finished.get(executionId);
        }
    }
}
