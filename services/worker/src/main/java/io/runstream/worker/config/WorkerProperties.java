package io.runstream.worker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker.
 *
 * @param topics the topics the worker reads and writes
 * @param partitions partitions of each topic the worker creates; commands and reports must match
 * @param runs how long an attempt may stay silent, and how many attempts an execution gets
 */
@Validated
@ConfigurationProperties("runstream.worker")
public record WorkerProperties(@Valid @NotNull Topics topics, @Min(1) int partitions, @Valid @NotNull Runs runs) {

    /**
     * Leases on attempts.
     *
     * @param lease how long an attempt may go without a report before it is dispatched again
     * @param leaseCheckInterval how often expired leases are looked for
     * @param maxAttempts attempts before an execution whose runners stay silent is FAILED with RUN_LOST
     */
    public record Runs(@NotNull Duration lease, @NotNull Duration leaseCheckInterval, @Min(1) int maxAttempts) {
    }

    /**
     * Topic names.
     *
     * @param commands ExecutionRequested, keyed by execution id (public)
     * @param status ExecutionStatusChanged, keyed by execution id (public)
     * @param dispatch runs ordered by the state machine (internal)
     * @param reports runner reports back to the state machine (internal)
     * @param deadLetter records the state machine could not read or process, with the error in headers
     * @param runnerDeadLetter dispatches the runner could not read
     */
    public record Topics(@NotBlank String commands, @NotBlank String status, @NotBlank String dispatch,
            @NotBlank String reports, @NotBlank String deadLetter, @NotBlank String runnerDeadLetter) {
    }
}
