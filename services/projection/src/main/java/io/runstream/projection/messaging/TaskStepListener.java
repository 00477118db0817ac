package io.runstream.projection.messaging;

import io.runstream.api.tracing.RecordTraces;
import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.TaskEvent;
import io.runstream.projection.domain.TaskStep;
import io.runstream.schemas.ExecutionTaskEnded;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Records task steps for execution history a batch at a time; poison records are dead-lettered by index, as for
 * status events.
 */
@Component
class TaskStepListener {

    private final ExecutionViews views;
    private final RecordTraces traces;
    private final DeadLetters deadLetters;
    private final ConsumerHealth health;

    TaskStepListener(ExecutionViews views, RecordTraces traces, DeadLetters deadLetters, ConsumerHealth health) {
        this.views = views;
        this.traces = traces;
        this.deadLetters = deadLetters;
        this.health = health;
    }

    @KafkaListener(topics = "${runstream.projection.tasks-topic}", batch = "true",
            properties = "runstream.avro.value.type=io.runstream.schemas.ExecutionTaskEnded")
    void onTaskEnded(List<ConsumerRecord<String, ExecutionTaskEnded>> records) {
        traces.observeAll("runstream.projection.task", records, () -> recordAll(records));
    }

    private void recordAll(List<ConsumerRecord<String, ExecutionTaskEnded>> records) {
        List<TaskStep> steps = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TaskStep step;
            try {
                step = toDomain(records.get(i));
            } catch (PoisonRecordException e) {
                record(records, steps);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
            steps.add(step);
        }
        record(records, steps);
        if (!records.isEmpty()) {
            health.applied(records.get(0).topic());
        }
    }

    private void record(List<ConsumerRecord<String, ExecutionTaskEnded>> records, List<TaskStep> steps) {
        RefusedData.store(records, steps, views::recordSteps, TaskStep::withoutData, deadLetters);
    }

    static TaskStep toDomain(ConsumerRecord<String, ExecutionTaskEnded> record) {
        ExecutionTaskEnded e = record.value();
        if (e == null) {
            throw PoisonRecordException.invalid("Unreadable or empty record at offset " + record.offset());
        }
        try {
            var error = e.getError() == null ? null
                    : new ExecutionError(e.getError().getCode(), e.getError().getMessage());
            return new TaskStep(UUID.fromString(e.getExecutionId()), e.getTenant(), e.getAttempt(), e.getStep(),
                    e.getName(),
                    e.getPosition(), e.getTaskType(), e.getStatus().name(), e.getTaskAttempts(), e.getStartedAt(),
                    e.getEndedAt(), error, e.getInputJson(), e.getOutputJson(), e.getDataTruncated(),
                    e.getRedriveCount(), e.getOrdinal(), e.getEvents().stream().map(t -> new TaskEvent(
                            t.getDirection().name(), t.getType(), t.getSource(), t.getId())).toList(),
                    e.getChildExecutionId() == null ? null : UUID.fromString(e.getChildExecutionId()));
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw PoisonRecordException.invalid("Invalid task event at offset " + record.offset() + ": "
                    + invalid.getMessage());
        }
    }
}
