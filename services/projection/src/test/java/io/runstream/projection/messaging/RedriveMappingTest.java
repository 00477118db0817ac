package io.runstream.projection.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.TaskStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RedriveMappingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final String id = UUID.randomUUID().toString();

    @Test
    void shouldCarryTheRedriveCountOfAStatusEventIntoTheChange() {
        var reopened = ExecutionStatusChanged.newBuilder().setExecutionId(id).setWorkflowId("demo")
                .setTenant("default").setStatus(ExecutionStatus.RUNNING).setSequence(4).setAttempt(1)
                .setOccurredAt(T0).setRequestedAt(T0).setMetadata(Map.of()).setRedriveCount(2).build();

        var change = StatusEventListener.toDomain(new ConsumerRecord<>("status", 0, 7, id, reopened));

        assertThat(change.redriveCount()).isEqualTo(2);
        assertThat(change.sequence()).isEqualTo(4);
        assertThat(change.error()).isNull();
        assertThat(change.finishedAt()).isNull();
    }

    @Test
    void shouldCarryWhatAWaitingExecutionListensForAndDropItFromAnyOtherPhase() {
        var wait = io.runstream.schemas.ListenWait.newBuilder().setPosition("/do/0/paid")
                .setTypes(java.util.List.of("order.paid")).setCorrelations(Map.of("order", "7")).setSince(T0).build();
        var waiting = ExecutionStatusChanged.newBuilder().setExecutionId(id).setWorkflowId("demo")
                .setTenant("default").setStatus(ExecutionStatus.RUNNING).setSequence(2).setAttempt(1)
                .setOccurredAt(T0).setRequestedAt(T0).setMetadata(Map.of())
                .setPhase(io.runstream.schemas.ExecutionPhase.WAITING).setWaitingFor(java.util.List.of(wait)).build();

        var change = StatusEventListener.toDomain(new ConsumerRecord<>("status", 0, 7, id, waiting));
        assertThat(change.waitingFor()).containsExactly(new io.runstream.projection.domain.ListenWait("/do/0/paid",
                java.util.List.of("order.paid"), Map.of("order", "7"), T0));
        assertThat(change.withoutData().waitingFor()).isEmpty();

        var paused = ExecutionStatusChanged.newBuilder(waiting)
                .setPhase(io.runstream.schemas.ExecutionPhase.SUSPENDED).build();
        assertThat(StatusEventListener.toDomain(new ConsumerRecord<>("status", 0, 8, id, paused)).waitingFor())
                .isEmpty();
    }

    @Test
    void shouldCarryTheRedriveCountOfATaskEventIntoTheStep() {
        var ended = ExecutionTaskEnded.newBuilder().setExecutionId(id).setTenant("default").setWorkflowId("demo")
                .setAttempt(1).setName("charge").setPosition("/do/1/charge").setTaskType("call")
                .setStatus(TaskStatus.COMPLETED).setStartedAt(T0).setEndedAt(T0.plusSeconds(1)).setRedriveCount(1)
                .build();

        var step = TaskStepListener.toDomain(new ConsumerRecord<>("tasks", 0, 3, id, ended));

        assertThat(step.redriveCount()).isEqualTo(1);
        assertThat(step.position()).isEqualTo("/do/1/charge");
    }
}
