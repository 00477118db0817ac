package io.runstream.projection.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the projection.
 *
 * @param statusTopic the public ExecutionStatusChanged stream the view is built from
 * @param deadLetterTopic where status records that cannot be read or applied go, with the error in headers
 * @param tasksTopic the public ExecutionTaskEnded stream that task history is built from
 * @param tasksDeadLetterTopic where task records that cannot be read or applied go, with the error in headers
 * @param partitions partitions of the topics the projection creates
 * @param watch live status and long polls
 * @param stuckAfter how long a listener's records may keep failing (and being retried) before the {@code consumers}
 *     health component says DOWN
 */
@Validated
@ConfigurationProperties("runstream.projection")
public record ProjectionProperties(@NotBlank String statusTopic, @NotBlank String deadLetterTopic,
        @NotBlank String tasksTopic, @NotBlank String tasksDeadLetterTopic,
        @Min(1) int partitions, @Valid @NotNull Watch watch, @NotNull Duration stuckAfter) {

    /**
     * Watching an execution.
     *
     * @param pollInterval how often the view is re-read for an execution someone watches, once for all its watchers
     *     (changes applied by this process arrive at once)
     * @param maxWait longest {@code waitForTerminalSeconds} a client may ask for
     * @param maxStreamsPerKey event streams one API key may hold open at once on this instance; more get 429
     * @param maxStreamLifetime how long an event stream stays open before it ends, telling the client to reconnect
     *     with {@code Last-Event-ID}
     */
    public record Watch(@NotNull Duration pollInterval, @NotNull Duration maxWait, @Min(1) int maxStreamsPerKey,
            @NotNull @DurationMin(seconds = 1) Duration maxStreamLifetime) {
    }
}
