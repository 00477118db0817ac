package io.runstream.ingress.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies the idempotency contract and the record-then-publish protocol: a request is first recorded under its
 * key, then published; a recorded request that was never published is published again on replay or by
 * {@link #republishPending}, so nothing accepted is lost.
 */
public class ExecutionIntake {

    private final WorkflowGate workflows;
    private final ExecutionRequests requests;
    private final ExecutionCommands commands;
    private final Clock clock;
    private final Duration idempotencyWindow;

    /** @param idempotencyWindow how long a key is remembered; a reuse within it replays the original execution */
    public ExecutionIntake(WorkflowGate workflows, ExecutionRequests requests, ExecutionCommands commands,
            Clock clock, Duration idempotencyWindow) {
        this.workflows = workflows;
        this.requests = requests;
        this.commands = commands;
        this.clock = clock;
        this.idempotencyWindow = idempotencyWindow;
    }

    /**
     * Checks the workflow may start, records the request (blocking, on the caller's thread) and returns a stage that completes once the command is
     * on the log, or fails with {@link PublishFailedException}; a reused key fails at once.
     */
    public CompletionStage<StartOutcome> start(StartExecution command) {
        StartableWorkflow workflow;
        try {
            workflow = workflows.startable(command.tenant(), command.workflowId());
        } catch (RuntimeException refused) {
            // A replay is answered with the original execution even if the workflow was deactivated since.
            return requests.find(command.tenant(), command.workflowId(), command.idempotencyKey())
                    .map(original -> replay(original, command)).orElseThrow(() -> refused);
        }
        Instant acceptedAt = now();
        ExecutionId id = ExecutionId.derive(command.tenant(), command.workflowId(), command.idempotencyKey(),
                idempotencyWindow, acceptedAt);
        AcceptedRequest fresh = new AcceptedRequest(id, command.tenant(), command.workflowId(), workflow.version(),
                workflow.definition(), command.idempotencyKey(), command.inputJson(), command.metadata(), acceptedAt,
                null);
        Optional<AcceptedRequest> existing = requests.recordIfAbsent(fresh);
        if (existing.isEmpty()) {
            return publish(fresh).thenApply(published -> new StartOutcome(published, true));
        }
        return replay(existing.get(), command);
    }

    private CompletionStage<StartOutcome> replay(AcceptedRequest original, StartExecution command) {
        if (!original.sameRequestAs(command)) {
            throw new IdempotencyKeyReusedException(command.idempotencyKey());
        }
        CompletionStage<AcceptedRequest> published = original.isPublished()
                ? CompletableFuture.completedFuture(original) : publish(original);
        return published.thenApply(request -> new StartOutcome(request, false));
    }

    /** Publishes requests that were recorded at least {@code minAge} ago but never published; returns how many. */
    public int republishPending(Duration minAge, int batchSize) {
        List<AcceptedRequest> pending = requests.unpublished(clock.instant().minus(minAge), batchSize);
        CompletableFuture.allOf(pending.stream().map(r -> publish(r).toCompletableFuture())
                .toArray(CompletableFuture[]::new)).join();
        return pending.size();
    }

    /**
     * Forgets keys accepted more than a window ago whose requests are on the log; returns how many. A request not
     * yet published is kept until it is, whatever its age.
     */
    public int forgetExpiredKeys(int batchSize) {
        return requests.forgetPublishedBefore(clock.instant().minus(idempotencyWindow), batchSize);
    }

    /** Millisecond precision: what PostgreSQL and the Avro timestamps keep, so a replay shows the same time. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private CompletionStage<AcceptedRequest> publish(AcceptedRequest request) {
        CompletionStage<Void> sent;
        try {
            sent = commands.publish(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((ok, failure) -> {
            if (failure != null) {
                throw new PublishFailedException(request.executionId(), failure);
            }
            Instant publishedAt = now();
            requests.markPublished(request.executionId(), publishedAt);
            return request.published(publishedAt);
        });
    }
}
