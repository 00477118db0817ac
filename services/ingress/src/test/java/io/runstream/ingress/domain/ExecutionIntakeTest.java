package io.runstream.ingress.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ExecutionIntakeTest {

    private final Map<ExecutionId, AcceptedRequest> rows = new LinkedHashMap<>();
    private final List<AcceptedRequest> published = new ArrayList<>();
    private boolean brokerDown;
    private boolean deactivated;
    private String refusedKey;
    private long recordOverhead = 100;
    /** How far the commands' bound lies above the exact size, and how often the exact size was counted. */
    private long boundSlack = 0;
    private int exactSizes;

    private final ExecutionRequests requests = new ExecutionRequests() {
        @Override
        public Optional<AcceptedRequest> recordIfAbsent(AcceptedRequest request) {
            Optional<AcceptedRequest> existing = find(request.tenant(), request.workflowId(),
                    request.idempotencyKey());
            if (existing.isEmpty()) {
                rows.put(request.executionId(), request);
            }
            return existing;
        }

        @Override
        public int forgetPublishedBefore(Instant before, int limit) {
            List<ExecutionId> old = rows.values().stream().filter(r -> r.publishedAt() != null
                    && r.acceptedAt().isBefore(before)).map(AcceptedRequest::executionId).limit(limit).toList();
            old.forEach(rows::remove);
            return old.size();
        }

        @Override
        public Optional<AcceptedRequest> find(String tenant, String workflowId, String key) {
            return rows.values().stream().filter(r -> r.tenant().equals(tenant) && r.workflowId().equals(workflowId)
                    && r.idempotencyKey().equals(key)).findFirst();
        }

        @Override
        public void markPublished(ExecutionId id, Instant at) {
            AcceptedRequest r = rows.get(id);
            rows.put(id, r.published(at));
        }

        @Override
        public void markRefused(ExecutionId id, String reason) {
            AcceptedRequest r = rows.get(id);
            rows.put(id, new AcceptedRequest(r.executionId(), r.tenant(), r.workflowId(), r.workflowVersion(),
                    r.definition(), r.idempotencyKey(), r.inputJson(), r.metadata(), r.acceptedAt(), null, reason));
        }

        @Override
        public List<AcceptedRequest> unpublished(Instant before, int limit) {
            return rows.values().stream().filter(r -> r.publishedAt() == null && r.refusal() == null
                    && r.acceptedAt().isBefore(before))
                    .sorted(Comparator.comparing(AcceptedRequest::acceptedAt)).limit(limit).toList();
        }
    };

    private final ExecutionCommands commands = new ExecutionCommands() {
        @Override
        public CompletableFuture<Void> publish(AcceptedRequest request) {
            if (request.idempotencyKey().equals(refusedKey)) {
                return CompletableFuture.failedFuture(new RecordRefusedException("The message is 1200000 bytes",
                        null));
            }
            if (brokerDown) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            published.add(request);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long recordSize(AcceptedRequest request) {
            exactSizes++;
            return request.definition().length() + request.inputJson().length() + recordOverhead;
        }

        @Override
        public long recordSizeBound(AcceptedRequest request) {
            return request.definition().length() + request.inputJson().length() + recordOverhead + boundSlack;
        }
    };

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final WorkflowGate workflows = (tenant, workflowId) -> {
        if (workflowId.equals("unknown") || !WorkflowIds.isValid(workflowId)) {
            throw new IllegalStateException("no such workflow");
        }
        if (deactivated) {
            throw new IllegalStateException("deactivated");
        }
        return new StartableWorkflow(4, "do: []");
    };
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final IntakeLimits LIMITS = new IntakeLimits(1_000, 2_000);
    /** Whether the workflow has an input.schema, of a kind: every input but one with "bad" holds to it. */
    private boolean schema = true;
    private final InputContract inputs = (workflow, input) -> schema && input.contains("bad")
            ? Optional.of("/bad: not allowed") : Optional.empty();
    private final ExecutionIntake intake = new ExecutionIntake(workflows, requests, commands, clock, WINDOW, LIMITS, inputs);

    private ExecutionId id(String tenant, String workflowId, String key) {
        return ExecutionId.derive(tenant, workflowId, key, WINDOW, clock.instant());
    }

    private StartOutcome start(StartExecution command) {
        return intake.start(command).toCompletableFuture().join();
    }

    private void startFailing(StartExecution command) {
        assertThatThrownBy(() -> start(command)).hasCauseInstanceOf(PublishFailedException.class);
    }

    @Test
    void shouldRefuseAnInputThatBreaksTheSchemaBeforeRecordingIt() {
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k1", "{\"bad\":1}")))
                .isInstanceOf(InvalidInputException.class).hasMessageEndingWith("/bad: not allowed");

        assertThat(rows).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswerAKeyRecordedBeforeTheSchemaRefusedItsInputWithItsExecution() {
        schema = false;
        StartOutcome first = start(new StartExecution("t", "demo", "k1", "{\"bad\":1}"));
        schema = true;

        StartOutcome replay = start(new StartExecution("t", "demo", "k1", "{\"bad\":1}"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.request().executionId()).isEqualTo(first.request().executionId());
    }

    @Test
    void shouldCreateAndPublishANewExecution() {
        StartOutcome outcome = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThat(outcome.created()).isTrue();
        assertThat(outcome.request().executionId()).isEqualTo(id("t", "demo", "k1"));
        assertThat(published).extracting(AcceptedRequest::inputJson).containsExactly("{\"x\":1}");
        assertThat(outcome.request().workflowVersion()).isEqualTo(4);
        assertThat(published.get(0).definition()).isEqualTo("do: []");
        assertThat(rows.get(outcome.request().executionId()).publishedAt()).isNotNull();
    }

    @Test
    void shouldReturnOriginalExecutionWhenIdempotencyKeyIsReplayed() {
        StartOutcome first = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));
        StartOutcome replay = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.request().executionId()).isEqualTo(first.request().executionId());
        assertThat(replay.request().acceptedAt()).isEqualTo(first.request().acceptedAt());
        assertThat(published).hasSize(1);
    }

    @Test
    void shouldAnswerAReplayWithTheOriginalEvenAfterTheWorkflowWasDeactivated() {
        StartOutcome first = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));
        deactivated = true;

        StartOutcome replay = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.request().executionId()).isEqualTo(first.request().executionId());
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k2", "{}")))
                .as("a new key is still refused").hasMessage("deactivated");
    }

    @Test
    void shouldStartANewExecutionWhenAKeyIsReusedAfterItWasForgotten() {
        var later = new ExecutionIntake(workflows, requests, commands,
                Clock.offset(clock, WINDOW.plusMinutes(1)), WINDOW, LIMITS, inputs);
        StartOutcome first = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThat(later.forgetExpiredKeys(100)).isEqualTo(1);
        StartOutcome reused = later.start(new StartExecution("t", "demo", "k1", "{\"x\":2}")).toCompletableFuture()
                .join();

        assertThat(reused.created()).isTrue();
        assertThat(reused.request().executionId()).isNotEqualTo(first.request().executionId());
        assertThat(published).extracting(AcceptedRequest::inputJson).containsExactly("{\"x\":1}", "{\"x\":2}");
    }

    @Test
    void shouldKeepKeysWithinTheWindowAndUnpublishedOnes() {
        start(new StartExecution("t", "demo", "k1", "{}"));
        brokerDown = true;
        startFailing(new StartExecution("t", "demo", "k2", "{}"));
        var later = new ExecutionIntake(workflows, requests, commands,
                Clock.offset(clock, WINDOW.minusMinutes(1)), WINDOW, LIMITS, inputs);
        var muchLater = new ExecutionIntake(workflows, requests, commands,
                Clock.offset(clock, WINDOW.multipliedBy(3)), WINDOW, LIMITS, inputs);

        assertThat(later.forgetExpiredKeys(100)).as("still within the window").isZero();
        assertThat(muchLater.forgetExpiredKeys(100)).as("only the published key").isEqualTo(1);
        assertThat(rows.values()).extracting(AcceptedRequest::idempotencyKey).containsExactly("k2");
    }

    @Test
    void shouldTreatDifferentMetadataUnderTheSameKeyAsAReusedKey() {
        start(new StartExecution("t", "demo", "k1", "{}", Map.of("sourceSystem", "crm")));

        assertThat(start(new StartExecution("t", "demo", "k1", "{}", Map.of("sourceSystem", "crm"))).created())
                .isFalse();
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k1", "{}", Map.of("sourceSystem", "erp"))))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(published).singleElement().satisfies(r -> assertThat(r.metadata())
                .containsEntry("sourceSystem", "crm"));
    }

    @Test
    void shouldRejectAReusedKeyWithADifferentBody() {
        start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k1", "{\"x\":2}")))
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .hasMessageContaining("k1");
    }

    @Test
    void shouldKeepARequestThatCouldNotBePublishedAndPublishItOnReplay() {
        brokerDown = true;
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k1", "{}")))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PublishFailedException.class);
        assertThat(rows).hasSize(1);

        brokerDown = false;
        StartOutcome replay = start(new StartExecution("t", "demo", "k1", "{}"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.request().publishedAt()).isNotNull();
        assertThat(published).hasSize(1);
    }

    @Test
    void shouldRepublishRecordedButUnpublishedRequestsOnceOldEnough() {
        rows.put(id("t", "demo", "old"), new AcceptedRequest(id("t", "demo", "old"),
                "t", "demo", 1, "do: []", "old", "{}", Map.of(), clock.instant().minusSeconds(60), null, null));
        rows.put(id("t", "demo", "new"), new AcceptedRequest(id("t", "demo", "new"),
                "t", "demo", 1, "do: []", "new", "{}", Map.of(), clock.instant(), null, null));

        int count = intake.republishPending(Duration.ofSeconds(10), 100);

        assertThat(count).isEqualTo(1);
        assertThat(published).extracting(AcceptedRequest::idempotencyKey).containsExactly("old");
        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isZero();
    }

    @Test
    void shouldRefuseAnInputOverTheLimitBeforeRecordingAnything() {
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "big", "{\"x\":\"" + "é".repeat(500) + "\"}")))
                .isInstanceOf(RequestTooLargeException.class)
                .hasMessageContaining("1008 bytes").hasMessageContaining("at most 1000")
                .hasMessageContaining("max-input-size");
        assertThat(rows).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void shouldRefuseARequestWhoseRecordWouldNotFitOnTheLogBeforeRecordingAnything() {
        recordOverhead = 1_990;

        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "k1", "{\"x\":1}")))
                .isInstanceOf(RequestTooLargeException.class)
                .hasMessageContaining("at most 2000").hasMessageContaining("max-record-size");
        assertThat(rows).isEmpty();
    }

    @Test
    void shouldCountTheExactSizeOnlyForARequestWhoseBoundPassesTheLimit() {
        boundSlack = 1_000;

        start(new StartExecution("t", "demo", "small", "{\"x\":1}"));
        assertThat(exactSizes).as("bound under the limit").isZero();

        recordOverhead = 1_900;
        StartOutcome near = start(new StartExecution("t", "demo", "near", "{\"x\":1}"));
        assertThat(exactSizes).as("bound over the limit").isEqualTo(1);
        assertThat(near.created()).as("the exact size fits: accepted").isTrue();
        assertThat(published).extracting(AcceptedRequest::idempotencyKey).containsExactly("small", "near");

        recordOverhead = 1_995;
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "over", "{\"x\":1}")))
                .isInstanceOf(RequestTooLargeException.class)
                .as("the message gives the exact size").hasMessageContaining("2008 bytes");
        assertThat(rows).doesNotContainKey(id("t", "demo", "over"));
    }

    @Test
    void shouldMarkARequestTheLogRefusesForGoodAndAnswerItsKeyWithTheRefusal() {
        refusedKey = "stuck";

        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "stuck", "{}")))
                .hasCauseInstanceOf(RequestTooLargeException.class).hasMessageContaining("refused");
        assertThat(rows.get(id("t", "demo", "stuck")).refusal()).contains("1200000 bytes");
        assertThatThrownBy(() -> start(new StartExecution("t", "demo", "stuck", "{}")))
                .as("a replay").isInstanceOf(RequestTooLargeException.class).hasMessageContaining("1200000 bytes");
        assertThat(intake.republishPending(Duration.ZERO, 100)).as("never retried").isZero();
    }

    @Test
    void shouldGoOnWithTheOtherPendingRequestsWhenOneIsRefusedForGood() {
        rows.put(id("t", "demo", "stuck"), new AcceptedRequest(id("t", "demo", "stuck"), "t", "demo", 1, "do: []",
                "stuck", "{}", Map.of(), clock.instant().minusSeconds(90), null, null));
        rows.put(id("t", "demo", "fine"), new AcceptedRequest(id("t", "demo", "fine"), "t", "demo", 1, "do: []",
                "fine", "{}", Map.of(), clock.instant().minusSeconds(60), null, null));
        refusedKey = "stuck";

        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isEqualTo(1);

        assertThat(published).extracting(AcceptedRequest::idempotencyKey).containsExactly("fine");
        assertThat(rows.get(id("t", "demo", "stuck")).refusal()).isNotNull();
        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isZero();
    }

    @Test
    void shouldLeaveRequestsForTheNextSweepWhileTheBrokerIsDownWithoutFailingTheSweep() {
        rows.put(id("t", "demo", "old"), new AcceptedRequest(id("t", "demo", "old"), "t", "demo", 1, "do: []",
                "old", "{}", Map.of(), clock.instant().minusSeconds(60), null, null));
        brokerDown = true;

        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isZero();
        brokerDown = false;
        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isEqualTo(1);
    }

    @Test
    void shouldAnswerAnIdNoWorkflowCanHaveWithoutLookingUpTheKey() {
        assertThatThrownBy(() -> start(new StartExecution("t", "de\u0000mo", "k1", "{}")))
                .hasMessageContaining("no such workflow");
        assertThat(rows).isEmpty();
    }

    @Test
    void shouldRecordNothingWhenTheWorkflowCannotStart() {
        assertThatThrownBy(() -> start(new StartExecution("t", "unknown", "k1", "{}")))
                .hasMessageContaining("no such workflow");
        assertThat(rows).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void shouldDeriveDifferentIdsForDifferentTenantsWorkflowsAndKeys() {
        assertThat(id("a", "w", "k")).isEqualTo(id("a", "w", "k"))
                .isNotEqualTo(id("b", "w", "k"))
                .isNotEqualTo(id("a", "v", "k"))
                .isNotEqualTo(id("a", "w", "j"));
    }
}
