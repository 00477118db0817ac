package io.runstream.ingress.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingress.
 *
 * @param commandsTopic topic that receives ExecutionRequested, keyed by execution id
 * @param workflowsTopic compacted topic that receives every workflow version, keyed by tenant/workflowId
 * @param partitions partitions of the commands topic when the ingress creates it
 * @param maxBodySize largest accepted request body; larger ones get 413
 * @param publishTimeout how long a request waits for the broker to acknowledge its command
 * @param sweeper republishing of requests that were recorded but never published
 * @param idempotency how long idempotency keys are remembered
 * @param control commands for executions (stop and the rest)
 * @param limits how much one request may carry, so that what is accepted can be carried out
 * @param events events sent to {@code POST /v1/events}
 * @param signals events sent to one execution, {@code POST /v1/executions/{id}/signals}
 * @param startWait a start that waits for its result ({@code waitForTerminalSeconds})
 */
@Validated
@ConfigurationProperties("runstream.ingress")
public record IngressProperties(
        @NotBlank String commandsTopic,
        @NotBlank String workflowsTopic,
        @Min(1) int partitions,
        @NotNull DataSize maxBodySize,
        @NotNull Duration publishTimeout,
        @Valid @NotNull Sweeper sweeper,
        @Valid @NotNull Idempotency idempotency,
        @Valid @NotNull Control control,
        @Valid @NotNull Limits limits,
        @Valid @NotNull Events events,
        @Valid @NotNull Signals signals,
        @Valid @NotNull StartWait startWait) {

    /** The sweeper must not race a publish that may still be in flight, so it waits longer than any publish may take. */
    public IngressProperties {
        if (sweeper != null && publishTimeout != null && sweeper.minAge().compareTo(publishTimeout) <= 0) {
            throw new IllegalArgumentException("runstream.ingress.sweeper.min-age (" + sweeper.minAge()
                    + ") must be longer than runstream.ingress.publish-timeout (" + publishTimeout + ")");
        }
    }

    /**
     * Idempotency keys.
     *
     * @param window how long a key is remembered: within it, the same key replays the original execution; after it,
     *     the key may be forgotten and then starts a new execution
     * @param cleanupInterval how often keys older than the window are forgotten
     * @param cleanupBatchSize most keys forgotten per statement
     */
    public record Idempotency(@NotNull Duration window, @NotNull Duration cleanupInterval,
            @Min(1) int cleanupBatchSize) {
    }

    /**
     * Commands for executions.
     *
     * @param topic the ordered control topic (ExecutionCommandRequested, keyed by execution id); it must have as many
     *     partitions as the commands topic
     * @param outcomesTopic where the worker publishes each command's outcome (ExecutionCommandDecided)
     * @param maxWait the longest {@code waitSeconds} a caller may ask for
     * @param dialectWait how long the Yandex stop and terminate wait for the outcome (that API has no wait parameter)
     */
    public record Control(@NotBlank String topic, @NotBlank String outcomesTopic, @NotNull Duration maxWait,
            @NotNull Duration dialectWait) {
    }

    /**
     * What one request may carry, within {@code max-body-size}.
     *
     * @param maxInputSize largest execution input (as JSON); keep it under a third of the worker's
     *     {@code runstream.worker.limits.max-progress-size}, since an execution's state holds its input up to three
     *     times
     * @param maxDefinitionSize largest workflow definition; every start carries its definition, so this plus
     *     {@code max-input-size} must fit in {@code max-record-size}
     * @param maxRecordSize largest record the ingress writes, key and headers included; at most the producer's
     *     {@code max.request.size} and the topics' {@code max.message.bytes} (1 MB by default)
     * @param maxReasonLength longest reason a command (stop, pause, ...) may give, in characters
     */
    public record Limits(@NotNull DataSize maxInputSize, @NotNull DataSize maxDefinitionSize,
            @NotNull DataSize maxRecordSize, @Min(1) int maxReasonLength) {
    }

    /**
     * Events.
     *
     * @param topic the event log: CloudEvents in the Kafka binding, keyed by tenant and source, which listeners and
     *     event-started workflows read
     * @param maxBatch most events one batch ({@code application/cloudevents-batch+json}) may hold
     */
    public record Events(@NotBlank String topic, @Min(1) int maxBatch) {
    }

    /**
     * Signals: CloudEvents addressed to one execution.
     *
     * @param topic where each signal goes as an ExecutionSignalled keyed by execution id; it must have as many
     *     partitions as the commands topic
     */
    public record Signals(@NotBlank String topic) {
    }

    /**
     * A start that waits for its result: the ingress asks the projection for the execution's view, which answers as
     * soon as it is terminal.
     *
     * @param projectionUri where the projection's API listens
     * @param maxWait the longest {@code waitForTerminalSeconds} a caller may ask for; at most the projection's
     *     {@code runstream.projection.watch.max-wait}, and the gateway's response timeout must exceed it plus the
     *     publish timeout
     * @param maxWaiting most starts of this instance waiting for their result at once (each holds a connection to
     *     the projection); past it, a start is answered without waiting
     */
    public record StartWait(@NotNull URI projectionUri, @NotNull Duration maxWait, @Min(1) int maxWaiting) {

        public StartWait {
            if (maxWait != null && (maxWait.isNegative() || maxWait.toSeconds() > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("runstream.ingress.start-wait.max-wait must be 0 or more seconds,"
                        + " not " + maxWait);
            }
        }
    }

    /**
     * The sweeper.
     *
     * @param interval pause between sweeps
     * @param minAge age a recorded, unpublished request must reach before the sweeper publishes it
     * @param batchSize most requests published per sweep
     */
    public record Sweeper(@NotNull Duration interval, @NotNull Duration minAge, @Min(1) int batchSize) {
    }
}
