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

    private final ExecutionRequests requests = new ExecutionRequests() {
        @Override
        public Optional<AcceptedRequest> recordIfAbsent(AcceptedRequest request) {
            AcceptedRequest existing = rows.putIfAbsent(request.executionId(), request);
            return Optional.ofNullable(existing);
        }

        @Override
        public Optional<AcceptedRequest> find(String tenant, String workflowId, String key) {
            return Optional.ofNullable(rows.get(ExecutionId.derive(tenant, workflowId, key)));
        }

        @Override
        public void markPublished(ExecutionId id, Instant at) {
            AcceptedRequest r = rows.get(id);
            rows.put(id, r.published(at));
        }

        @Override
        public List<AcceptedRequest> unpublished(Instant before, int limit) {
            return rows.values().stream().filter(r -> r.publishedAt() == null && r.acceptedAt().isBefore(before))
                    .sorted(Comparator.comparing(AcceptedRequest::acceptedAt)).limit(limit).toList();
        }
    };

    private final ExecutionCommands commands = request -> {
        if (brokerDown) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
        }
        published.add(request);
        return CompletableFuture.completedFuture(null);
    };

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private final WorkflowGate workflows = (tenant, workflowId) -> {
        if (workflowId.equals("unknown")) {
            throw new IllegalStateException("no such workflow");
        }
        if (deactivated) {
            throw new IllegalStateException("deactivated");
        }
        return new StartableWorkflow(4, "do: []");
    };
    private final ExecutionIntake intake = new ExecutionIntake(workflows, requests, commands, clock);

    private StartOutcome start(StartExecution command) {
        return intake.start(command).toCompletableFuture().join();
    }

    @Test
    void shouldCreateAndPublishANewExecution() {
        StartOutcome outcome = start(new StartExecution("t", "demo", "k1", "{\"x\":1}"));

        assertThat(outcome.created()).isTrue();
        assertThat(outcome.request().executionId()).isEqualTo(ExecutionId.derive("t", "demo", "k1"));
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
        rows.put(ExecutionId.derive("t", "demo", "old"), new AcceptedRequest(ExecutionId.derive("t", "demo", "old"),
                "t", "demo", 1, "do: []", "old", "{}", clock.instant().minusSeconds(60), null));
        rows.put(ExecutionId.derive("t", "demo", "new"), new AcceptedRequest(ExecutionId.derive("t", "demo", "new"),
                "t", "demo", 1, "do: []", "new", "{}", clock.instant(), null));

        int count = intake.republishPending(Duration.ofSeconds(10), 100);

        assertThat(count).isEqualTo(1);
        assertThat(published).extracting(AcceptedRequest::idempotencyKey).containsExactly("old");
        assertThat(intake.republishPending(Duration.ofSeconds(10), 100)).isZero();
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
        assertThat(ExecutionId.derive("a", "w", "k")).isEqualTo(ExecutionId.derive("a", "w", "k"))
                .isNotEqualTo(ExecutionId.derive("b", "w", "k"))
                .isNotEqualTo(ExecutionId.derive("a", "v", "k"))
                .isNotEqualTo(ExecutionId.derive("a", "w", "j"));
    }
}
