package io.runstream.worker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
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
 * @param partitions partitions of each topic the worker creates; commands, stops and reports must match
 * @param runs leases, heartbeats and attempts of runs
 * @param http limits on the HTTP calls workflows make
 */
@Validated
@ConfigurationProperties("runstream.worker")
public record WorkerProperties(@Valid @NotNull Topics topics, @Min(1) int partitions, @Valid @NotNull Runs runs,
        @Valid @NotNull Http http) {

    /**
     * Leases on attempts.
     *
     * @param lease how long an attempt may go without a report before it is dispatched again
     * @param leaseCheckInterval how often expired leases are looked for
     * @param heartbeatInterval how often a runner reports that an attempt is still running; well under the lease
     * @param maxAttempts attempts before an execution whose runners stay silent is FAILED with RUN_LOST
     * @param taskHistory whether runners publish one event per task step to the tasks topic
     */
    public record Runs(@NotNull Duration lease, @NotNull Duration leaseCheckInterval,
            @NotNull Duration heartbeatInterval, @Min(1) int maxAttempts, boolean taskHistory) {

        @AssertTrue(message = "heartbeat-interval must be shorter than half the lease, or live runs would be "
                + "dispatched again")
        boolean isHeartbeatWellUnderLease() {
            return lease == null || heartbeatInterval == null
                    || heartbeatInterval.multipliedBy(2).compareTo(lease) < 0;
        }
    }

    /**
     * HTTP calls made by {@code call: http} tasks.
     *
     * @param connectTimeout how long to wait for a connection
     * @param responseTimeout how long to wait for a response once the request is sent
     * @param maxResponseSize largest response body a task may read
     * @param blockedNetworks CIDR blocks workflows may not call, checked on the resolved address
     */
    public record Http(@NotNull Duration connectTimeout, @NotNull Duration responseTimeout,
            @NotNull DataSize maxResponseSize, @NotNull java.util.List<String> blockedNetworks) {
    }

    /**
     * Topic names.
     *
     * @param commands ExecutionRequested, keyed by execution id (public)
     * @param stops ExecutionStopRequested, keyed by execution id (public)
     * @param workflows WorkflowDefinition, compacted, keyed by tenant/workflowId (public, written by the ingress)
     * @param status ExecutionStatusChanged, keyed by execution id (public)
     * @param tasks ExecutionTaskEnded, one per task step, keyed by execution id (public)
     * @param dispatch runs ordered by the state machine (internal)
     * @param reports runner reports back to the state machine (internal)
     * @param deadLetter records the state machine could not read or process, with the error in headers
     * @param runnerDeadLetter dispatches the runner could not read
     */
    public record Topics(@NotBlank String commands, @NotBlank String stops, @NotBlank String workflows,
            @NotBlank String status, @NotBlank String tasks, @NotBlank String dispatch, @NotBlank String reports,
            @NotBlank String deadLetter, @NotBlank String runnerDeadLetter) {
    }
}
