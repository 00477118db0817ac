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
 * {@link #republishPending}, so nothing accepted is lost. A request that could never be carried out (an input the
 * worker's state cannot hold, a record the log does not take) is refused with {@link RequestTooLargeException}
 * before its key is recorded, and so is an input that breaks the workflow's {@code input.schema}
 * ({@link InvalidInputException}); one the log refuses even so (its limits are lower than configured here) is marked
 * refused, published no more, and its key answers that refusal.
 */
public class ExecutionIntake {

    private final WorkflowGate workflows;
    private final ExecutionRequests requests;
    private final ExecutionCommands commands;
    private final Clock clock;
    private final Duration idempotencyWindow;
    private final IntakeLimits limits;
    private final InputContract inputs;

    /** @param idempotencyWindow how long a key is remembered; a reuse within it replays the original execution */
    public ExecutionIntake(WorkflowGate workflows, ExecutionRequests requests, ExecutionCommands commands,
            Clock clock, Duration idempotencyWindow, IntakeLimits limits, InputContract inputs) {
        this.workflows = workflows;
        this.requests = requests;
        this.commands = commands;
        this.clock = clock;
        this.idempotencyWindow = idempotencyWindow;
        this.limits = limits;
        this.inputs = inputs;
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
            if (!WorkflowIds.isValid(command.workflowId())) {
                throw refused;
            }
            // A replay is answered with the original execution even if the workflow was deactivated since.
            return requests.find(command.tenant(), command.workflowId(), command.idempotencyKey())
                    .map(original -> replay(original, command)).orElseThrow(() -> refused);
        }
        long inputBytes = utf8Length(command.inputJson());
        if (inputBytes > limits.maxInputBytes()) {
            throw new RequestTooLargeException("The input is " + inputBytes + " bytes of JSON; at most "
                    + limits.maxInputBytes() + " are accepted (runstream.ingress.limits.max-input-size), since an "
                    + "execution's state holds its input more than once");
        }
        Optional<String> violation = inputs.violation(workflow, command.inputJson());
        if (violation.isPresent()) {
            // a key recorded before the workflow's schema changed is still answered with its execution
            return requests.find(command.tenant(), command.workflowId(), command.idempotencyKey())
                    .map(original -> replay(original, command))
                    .orElseThrow(() -> new InvalidInputException(violation.get()));
        }
        Instant acceptedAt = now();
        ExecutionId id = ExecutionId.derive(command.tenant(), command.workflowId(), command.idempotencyKey(),
                idempotencyWindow, acceptedAt);
        AcceptedRequest fresh = new AcceptedRequest(id, command.tenant(), command.workflowId(), workflow.version(),
                workflow.definition(), command.idempotencyKey(), command.inputJson(), command.metadata(), acceptedAt,
                null, null);
        checkFitsOnTheLog(fresh);
        Optional<AcceptedRequest> existing = requests.recordIfAbsent(fresh);
        if (existing.isEmpty()) {
            return publish(fresh).thenApply(published -> new StartOutcome(published, true));
        }
        return replay(existing.get(), command);
    }

    /** Refuses a request whose record the log would refuse, before anything is recorded. */
    private void checkFitsOnTheLog(AcceptedRequest fresh) {
        if (commands.recordSizeBound(fresh) <= limits.maxRecordBytes()) {
            return;
        }
        long recordBytes = commands.recordSize(fresh);
        if (recordBytes > limits.maxRecordBytes()) {
            throw new RequestTooLargeException("The workflow's definition and this input make a record of "
                    + recordBytes + " bytes; at most " + limits.maxRecordBytes() + " fit on the log "
                    + "(runstream.ingress.limits.max-record-size): send a smaller input");
        }
    }

    private CompletionStage<StartOutcome> replay(AcceptedRequest original, StartExecution command) {
        if (!original.sameRequestAs(command)) {
            throw new IdempotencyKeyReusedException(command.idempotencyKey());
        }
        if (original.isRefused()) {
            throw new RequestTooLargeException(original.refusal());
        }
        CompletionStage<AcceptedRequest> published = original.isPublished()
                ? CompletableFuture.completedFuture(original) : publish(original);
        return published.thenApply(request -> new StartOutcome(request, false));
    }

    /**
     * Publishes requests that were recorded at least {@code minAge} ago but never published; returns how many were.
     * One that fails is left for the next sweep (or marked refused, if the log refused it for good) and the others
     * go on.
     */
    public int republishPending(Duration minAge, int batchSize) {
        List<AcceptedRequest> pending = requests.unpublished(clock.instant().minus(minAge), batchSize);
        List<CompletableFuture<Boolean>> sent = pending.stream().map(r -> publish(r).toCompletableFuture()
                .handle((published, failure) -> failure == null)).toList();
        return (int) sent.stream().filter(CompletableFuture::join).count();
    }

    /**
     * Forgets keys accepted more than a window ago whose requests are on the log; returns how many. A request not
     * yet published is kept until it is, whatever its age.
     */
    public int forgetExpiredKeys(int batchSize) {
        return requests.forgetPublishedBefore(clock.instant().minus(idempotencyWindow), batchSize);
    }

    private static RecordRefusedException refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RecordRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
                RecordRefusedException refused = refusal(failure);
                if (refused != null) {
                    String reason = "The log refused this request's record for good: " + refused.getMessage();
                    requests.markRefused(request.executionId(), reason);
                    throw new RequestTooLargeException(reason);
                }
                throw new PublishFailedException(request.executionId(), failure);
            }
            Instant publishedAt = now();
            requests.markPublished(request.executionId(), publishedAt);
            return request.published(publishedAt);
        });
    }
}
