package io.runstream.projection.messaging;

import io.runstream.api.tracing.RecordTraces;
import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.ListenWait;
import io.runstream.projection.domain.StatusChange;
import io.runstream.schemas.ExecutionStatusChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Applies status events to the view a batch at a time, in one transaction. A record that cannot be read or mapped
 * fails the batch at its index, so the service's error handler dead-letters just that record; one whose data the
 * database refuses is applied without it ({@link RefusedData}); a database failure fails the whole batch, which is
 * retried until the database is back.
 */
@Component
class StatusEventListener {

    private static final Logger log = LoggerFactory.getLogger(StatusEventListener.class);

    private final ExecutionViews views;
    private final ExecutionChanges changes;
    private final io.micrometer.core.instrument.Timer applyLag;
    private final RecordTraces traces;
    private final DeadLetters deadLetters;
    private final ConsumerHealth health;

    StatusEventListener(ExecutionViews views, ExecutionChanges changes,
            io.micrometer.core.instrument.MeterRegistry meters, RecordTraces traces, DeadLetters deadLetters,
            ConsumerHealth health) {
        this.views = views;
        this.changes = changes;
        this.traces = traces;
        this.deadLetters = deadLetters;
        this.health = health;
        this.applyLag = io.micrometer.core.instrument.Timer.builder("runstream.projection.apply.lag")
                .description("From a status change in the worker to its being in the view").register(meters);
    }

    @KafkaListener(topics = "${runstream.projection.status-topic}", batch = "true")
    void onStatusChanged(List<ConsumerRecord<String, ExecutionStatusChanged>> records) {
        // each record's span, in its execution's trace, lasts until the batch is in the view
        traces.observeAll("runstream.projection.status", records, () -> applyAll(records));
    }

    private void applyAll(List<ConsumerRecord<String, ExecutionStatusChanged>> records) {
        List<StatusChange> batch = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            StatusChange change;
            try {
                change = toDomain(records.get(i));
            } catch (PoisonRecordException e) {
                apply(records, batch);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
            batch.add(change);
        }
        apply(records, batch);
        if (!records.isEmpty()) {
            health.applied(records.get(0).topic());
        }
    }

    private void apply(List<ConsumerRecord<String, ExecutionStatusChanged>> records, List<StatusChange> batch) {
        RefusedData.store(records, batch, views::applyAll, StatusChange::withoutData, deadLetters);
        announce(batch);
        java.time.Instant now = java.time.Instant.now();
        for (StatusChange change : batch) {
            java.time.Duration lag = java.time.Duration.between(change.occurredAt(), now);
            applyLag.record(lag.isNegative() ? java.time.Duration.ZERO : lag);
        }
    }

    /**
     * Those of the batch's executions that someone here watches, read back in one query and handed to their watchers,
     * who then need no read of their own. Best effort: a watcher not told here still finds the state at its next poll.
     */
    private void announce(List<StatusChange> batch) {
        List<UUID> watched = changes.watchedAmong(batch.stream().map(StatusChange::executionId).toList());
        if (watched.isEmpty()) {
            return;
        }
        try {
            changes.changed(views.findAll(watched));
        } catch (RuntimeException e) {
            log.warn("Could not read back {} watched execution(s) just applied; their watchers will find them at "
                    + "their next poll: {}", watched.size(), e.toString());
        }
    }

    /** The listens the event says its execution waits on; none from workers that do not say. */
    private static List<ListenWait> waitingFor(ExecutionStatusChanged e) {
        if (e.getWaitingFor() == null) {
            return List.of();
        }
        return e.getWaitingFor().stream().map(w -> new ListenWait(w.getPosition(), w.getTypes(),
                w.getCorrelations(), w.getSince())).toList();
    }

    static StatusChange toDomain(ConsumerRecord<String, ExecutionStatusChanged> record) {
        ExecutionStatusChanged e = record.value();
        if (e == null) {
            throw PoisonRecordException.invalid("Unreadable or empty record at offset " + record.offset());
        }
        try {
            var error = e.getError() == null ? null
                    : new ExecutionError(e.getError().getCode(), e.getError().getMessage());
            return new StatusChange(UUID.fromString(e.getExecutionId()), e.getTenant(), e.getWorkflowId(),
                    ExecutionStatus.valueOf(e.getStatus().name()), e.getSequence(), e.getAttempt(), e.getOccurredAt(),
                    e.getRequestedAt(), e.getInputJson(), e.getOutputJson(), error,
                    e.getMetadata() == null ? Map.of() : Map.copyOf(e.getMetadata()),
                    e.getPhase() == null ? null : e.getPhase().name(), e.getRedriveCount(), e.getOrdinal(),
                    waitingFor(e), e.getParentExecutionId() == null ? null
                            : UUID.fromString(e.getParentExecutionId()));
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw PoisonRecordException.invalid("Invalid status event at offset " + record.offset() + ": "
                    + invalid.getMessage());
        }
    }
}
