package io.runstream.worker.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker.
 *
 * @param topics the topics the worker reads and writes
 * @param partitions partitions of each topic the worker creates; commands, stops, reports and continuations must
 *     match, and the count fixes how execution state is sharded
 * @param taskHistory whether the worker publishes one event per task step to the tasks topic
 * @param retention how long a finished execution is remembered, so duplicate starts and late inputs for it are
 *     ignored; at least the ingress's idempotency window (after it, the same key makes a new execution id)
 * @param redriveWindow how long after it failed or timed out an execution can be redriven; its state is kept that
 *     long; zero turns redrive off
 * @param activities leases, re-dispatches and runner concurrency of activities (side effects)
 * @param timers how durable timers are checked
 * @param limits bounds on what one execution may cost
 * @param http limits on the HTTP calls workflows make
 * @param events how events reach listening executions
 * @param schedules how workflows' schedules are checked
 * @param secrets how runners get the secrets calls name
 * @param openapi how runners keep the documents {@code call: openapi} reads
 * @param commits when the worker commits sooner than Kafka Streams' commit interval
 * @param streamsRestartDelay how long after its Kafka Streams client failed for good (state ERROR, as when its
 *     global thread dies) the worker stops it and starts a new one
 */
@Validated
@ConfigurationProperties("runstream.worker")
public record WorkerProperties(@Valid @NotNull Topics topics, @Min(1) int partitions, boolean taskHistory,
        @NotNull Duration retention, @NotNull Duration redriveWindow,
        @Valid @NotNull Activities activities, @Valid @NotNull Timers timers, @Valid @NotNull Limits limits,
        @Valid @NotNull Http http, @Valid @NotNull Events events, @Valid @NotNull Schedules schedules,
        @Valid @NotNull Secrets secrets, @Valid @NotNull OpenApi openapi, @Valid @NotNull Commits commits,
        @NotNull Duration streamsRestartDelay) {

    /**
     * Commits asked for sooner than {@code commit.interval.ms}. What a worker writes is seen (by the projection, the
     * runners, a start that waits) only once its exactly-once transaction commits; Kafka Streams commits every commit
     * interval (300 ms), which would be most of an execution's latency, while committing often under load costs
     * more than the machine has: each commit holds the stream thread for its round trips. So at light load the worker
     * asks for a commit right after an input, at most once per eager interval; while its inputs wait a little, once
     * per steady interval; further behind, the commit interval alone decides, in fewer and larger transactions, until
     * it has caught up. Every commit is the same exactly-once transaction either way.
     *
     * @param eagerInterval the shortest time between two commits asked for early; zero: none, every commit waits for
     *     the commit interval
     * @param eagerMaxInputAge no commit is asked for early after an input written longer ago than this: inputs that
     *     wait to be read mean the worker is behind, and early commits would hold it back further
     * @param eagerBelowCpu the worker process's CPU use (0 to 1 of the processors it may use, over the last tenth of a
     *     second or more) under which commits are asked for early; at or above it the steady interval applies
     * @param steadyInterval the shortest time between two commits asked for while inputs wait less than
     *     {@code steadyMaxInputAge}; zero: none
     * @param steadyMaxInputAge past this age of its inputs, a worker leaves its commits to the commit interval
     */
    public record Commits(@NotNull Duration eagerInterval, @NotNull Duration eagerMaxInputAge,
            @DecimalMin("0.0") @DecimalMax("1.0") double eagerBelowCpu, @NotNull Duration steadyInterval,
            @NotNull Duration steadyMaxInputAge) {
    }

    /**
     * Secrets, which runners fill into calls: they read them, still encrypted, from the topic the ingress publishes
     * them to, and open one only to make a call.
     *
     * @param keys the keys the ingress encrypts secrets with ({@code runstream.ingress.secrets.keys}), each
     *     {@code id:base64} of 32 bytes; also what the references to secrets in dispatched calls are signed with.
     *     None: a call that names a secret fails with the spec's authorization error
     * @param topic compacted topic of the tenants' secrets, keyed by tenant/name (written by the ingress)
     * @param lookupWait how long a runner that does not know a secret a call names waits to read the topic to its
     *     end, so a secret put just before the run started is found
     */
    public record Secrets(@NotNull java.util.List<String> keys, @NotBlank String topic,
            @NotNull Duration lookupWait) {

        public Secrets {
            // an empty environment variable binds as one blank key: none
            keys = keys == null ? java.util.List.of() : keys.stream().filter(k -> k != null && !k.isBlank()).toList();
        }
    }

    @AssertTrue(message = "activities.lease must be longer than http.call-timeout plus 1s, or a call could still run "
            + "when its lease ends and be dispatched again")
    boolean isLeaseLongerThanACall() {
        return activities == null || http == null || activities.lease() == null || http.callTimeout() == null
                || activities.lease().compareTo(http.callTimeout().plusSeconds(1)) > 0;
    }

    /**
     * Activities: side effects performed by runners.
     *
     * @param lease how long a runner has to report an activity before it is dispatched again (doubling each time)
     * @param maxDispatches dispatches of one activity before its execution fails with ACTIVITY_LOST
     * @param maxInFlight slots: activities one runner performs at once, shared fairly among tenants
     * @param reservedSlots of those slots, how many go only to a tenant below its share of them, so one tenant's
     *     hanging calls never hold them all; a tenant alone uses {@code maxInFlight - reservedSlots}
     * @param maxWaiting dispatches a runner reads ahead and holds until a slot is theirs (one tenant half of them);
     *     past it the listener pauses; also how many calls may start above the slots when they reach their start-by
     */
    public record Activities(@NotNull Duration lease, @Min(1) int maxDispatches, @Min(1) int maxInFlight,
            @Min(0) int reservedSlots, @Min(1) int maxWaiting) {

        @AssertTrue(message = "activities.reserved-slots must be fewer than activities.max-in-flight")
        boolean isReserveBelowTheSlots() {
            return reservedSlots < maxInFlight;
        }
    }

    /**
     * Durable timers.
     *
     * @param checkInterval how often due timers are looked for; how late a timer may fire at most, when idle
     * @param batchSize due timers taken from the index at a time
     * @param rescan how often the whole timer index is looked at again for timers that reached it other than through
     *     the worker (timers written before it started are found when it starts); each look costs an idle worker a
     *     transaction, so it is rare
     * @param catchUp how long leases and timeouts already due wait when the worker takes a partition or comes back
     *     from a stall (its thread held up, as in a commit while the cluster is down), while it reads the inputs that
     *     came meanwhile: a result reported before its lease ended is then not taken for late; 0 for no wait
     */
    public record Timers(@NotNull Duration checkInterval, @Min(1) int batchSize, @NotNull Duration rescan,
            @NotNull Duration catchUp) {

        @AssertTrue(message = "timers.check-interval and timers.rescan must be positive, timers.catch-up not negative")
        boolean isPositive() {
            return checkInterval == null || rescan == null || catchUp == null
                    || checkInterval.toMillis() > 0 && rescan.toMillis() > 0 && !catchUp.isNegative();
        }
    }

    /**
     * Bounds on what one execution may cost, so user-written definitions cannot wedge a partition.
     *
     * @param stepBudget steps one input may take before the execution yields to the others on its partition
     * @param maxSteps steps over an execution's life, past which it fails with STEP_LIMIT_EXCEEDED
     * @param maxProgressSize largest progress kept per execution, well under the changelog's max.message.bytes;
     *     past it the execution fails with PROGRESS_TOO_LARGE
     * @param expressionHaltAfter how long one jq evaluation may run without reaching a check before the expression
     *     watchdog halts the process (nothing else can stop its thread); evaluations that reach checks fail after
     *     2 s
     * @param quarantineAfterCrashes how many times a worker instance may stop while processing an execution's input
     *     before that execution is quarantined: ended FAILED with QUARANTINED instead of run again
     * @param maxSubflowDepth how deep subflows ({@code run: workflow}) may nest: an execution no other started is at
     *     depth 0, its child at 1; a start past it fails the task, so a workflow that runs itself stops
     */
    public record Limits(@Min(1) int stepBudget, @Min(1) long maxSteps, @NotNull DataSize maxProgressSize,
            @NotNull Duration expressionHaltAfter, @Min(1) int quarantineAfterCrashes, @Min(1) int maxSubflowDepth) {
    }

    /**
     * Events for listening executions.
     *
     * @param buffer how long an event is kept for listens that open after it arrived (a callback that beats the
     *     workflow to its listen); a listen sees the matching events that arrived up to this long before it opened
     * @param dedupWindow how long an event's {@code source} and {@code id} are remembered, so a duplicate within it
     *     reaches no listen again
     * @param signalHold how long an event sent to one execution alone waits for a listen of it that takes it
     * @param listenCheck how long a listen stays in the correlation index without word from its execution before
     *     the index asks the execution whether it still has it (and drops it if not): what bounds a listen left
     *     behind by an execution that ended outside the engine
     * @param maxHops the longest chain of events emitted one after another (each consumed by a listen, or starting a
     *     run, that emits the next): an emit past it fails, so workflows answering each other's events cannot loop
     * @param maxScannedListens listen filters one tenant may have open that every event of the tenant visits (no
     *     exact type and no expected correlation): what bounds the cost of an event; a listen past it fails
     */
    public record Events(@NotNull Duration buffer, @NotNull Duration dedupWindow, @NotNull Duration signalHold,
            @NotNull Duration listenCheck, @Min(1) int maxHops, @Min(1) int maxScannedListens) {
    }

    /**
     * HTTP calls made by {@code call: http} tasks.
     *
     * @param connectTimeout how long to wait for a connection
     * @param responseTimeout how long to wait for a response once the request is sent, and for each next part of it
     * @param callTimeout the total deadline of one call: connecting, sending, waiting and reading the whole body;
     *     past it the call ends TIMED_OUT (a communication error with status 504)
     * @param maxResponseSize largest response body a task may read; it must fit in one record with its headers
     * @param idleTimeout how long a kept connection may stay unused and still carry a call: under the keep-alive
     *     timeouts of the servers called, so that no call goes out on a connection the server has closed meanwhile
     * @param blockedNetworks CIDR blocks workflows may not call, checked on the resolved address
     */
    public record Http(@NotNull Duration connectTimeout, @NotNull Duration responseTimeout,
            @NotNull Duration callTimeout, @NotNull DataSize maxResponseSize, @NotNull Duration idleTimeout,
            @NotNull java.util.List<String> blockedNetworks) {

        @AssertTrue(message = "http.call-timeout must be positive")
        boolean isCallTimeoutPositive() {
            return callTimeout == null || !callTimeout.isNegative() && !callTimeout.isZero();
        }

        @AssertTrue(message = "http.idle-timeout must be positive")
        boolean isIdleTimeoutPositive() {
            return idleTimeout == null || !idleTimeout.isNegative() && !idleTimeout.isZero();
        }
    }

    /**
     * The OpenAPI documents {@code call: openapi} tasks name, which each runner keeps parsed, per tenant, URL and
     * credentials (a hash of the document's Authorization header).
     *
     * @param documentTtl how long a parsed document is used before it is fetched again; a document that could not be
     *     fetched or parsed is not kept
     * @param maxDocuments documents one runner keeps; past it the least recently used goes
     */
    public record OpenApi(@NotNull Duration documentTtl, @Min(1) int maxDocuments) {

        @AssertTrue(message = "openapi.document-ttl must be positive")
        boolean isTtlPositive() {
            return documentTtl == null || !documentTtl.isNegative() && !documentTtl.isZero();
        }
    }

    /**
     * Schedules ({@code schedule.every}, {@code cron} and {@code after}).
     *
     * @param checkInterval how often kept schedules are checked for a due fire; how late a fire may be, at most
     * @param catalogScan how often the workflow catalog is read for schedules that appear, change or go; how long a
     *     new schedule may take to be taken up (a due fire always checks its workflow as it is then)
     * @param maxStartsPerSecond runs one tenant's schedules, events and subflows may start a second (a burst of as
     *     many allowed); a start past it is recorded FAILED with START_QUOTA_EXCEEDED instead of running
     */
    public record Schedules(@NotNull Duration checkInterval, @NotNull Duration catalogScan,
            @Min(1) int maxStartsPerSecond) {

        @AssertTrue(message = "schedules.check-interval and schedules.catalog-scan must be positive")
        boolean isPositive() {
            return checkInterval == null || catalogScan == null
                    || checkInterval.toMillis() > 0 && catalogScan.toMillis() > 0;
        }
    }

    /**
     * Topic names.
     *
     * @param commands ExecutionRequested, keyed by execution id (public)
     * @param stops ExecutionStopRequested, keyed by execution id (public; superseded by {@code control}, still read)
     * @param control ExecutionCommandRequested (stop, pause, resume, redrive), keyed by execution id (public)
     * @param controlOutcomes ExecutionCommandDecided, one per command, keyed by execution id (public)
     * @param workflows WorkflowDefinition, compacted, keyed by tenant/workflowId (public, written by the ingress)
     * @param status ExecutionStatusChanged, keyed by execution id (public)
     * @param tasks ExecutionTaskEnded, one per task step, keyed by execution id (public)
     * @param dispatch activities for runners to perform (internal)
     * @param cancels activities the execution no longer waits on, which a runner performing one stops (internal;
     *     every runner reads every one)
     * @param reports activity results back to the processor (internal)
     * @param continuations executions that yielded their turn and go on (internal)
     * @param deadLetter records the processor could not read or attribute, with the error in headers
     * @param runnerDeadLetter dispatches the runner could not read
     * @param crashes executions whose input was in flight when a worker instance stopped (internal)
     * @param events the event log: events {@code emit} tasks write, CloudEvents in the Kafka binding keyed by
     *     tenant/source (public); listening executions read it
     * @param correlation events and listens opening and closing, keyed by route (tenant and event type), for the
     *     correlation index (internal)
     * @param deliveries events the correlation index routed to a listen, keyed by execution id (internal)
     * @param signals ExecutionSignalled: a CloudEvent for one execution alone, keyed by execution id (public)
     * @param schedules what the schedulers of a tenant's workflows learn (the end of an {@code after} run, subflows to
     *     start and to stop), keyed by tenant (internal); its partitions place each tenant's schedules and start
     *     quota on one worker
     * @param subflows the end of a subflow, to the execution that started it, keyed by that execution's id (internal)
     */
    public record Topics(@NotBlank String commands, @NotBlank String stops, @NotBlank String control,
            @NotBlank String controlOutcomes, @NotBlank String workflows,
            @NotBlank String status, @NotBlank String tasks, @NotBlank String dispatch,
            @NotBlank String cancels, @NotBlank String reports,
            @NotBlank String continuations, @NotBlank String deadLetter, @NotBlank String runnerDeadLetter,
            @NotBlank String crashes, @NotBlank String events, @NotBlank String correlation,
            @NotBlank String deliveries, @NotBlank String signals, @NotBlank String schedules,
            @NotBlank String subflows) {
    }
}
