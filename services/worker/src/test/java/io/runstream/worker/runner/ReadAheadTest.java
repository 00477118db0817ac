package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.internal.ActivityDispatched;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.MessageListenerContainer;

/** The read-ahead queue is bounded: in all, and per tenant by pausing the partitions that bring its dispatches. */
class ReadAheadTest {

    private static final String TOPIC = "dispatch";

    /** The listener container as far as pausing goes. */
    private static final class Container implements MessageListenerContainer {
        boolean paused;
        final Set<TopicPartition> pausedPartitions = new HashSet<>();

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public boolean isPauseRequested() {
            return paused;
        }

        @Override
        public void pausePartition(TopicPartition partition) {
            pausedPartitions.add(partition);
        }

        @Override
        public void resumePartition(TopicPartition partition) {
            pausedPartitions.remove(partition);
        }

        @Override
        public void setupMessageListener(Object listener) {
        }

        @Override
        public Map<String, Map<MetricName, ? extends Metric>> metrics() {
            return Map.of();
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return true;
        }
    }

    private final Container container = new Container();
    private final Map<String, Integer> waitingOf = new HashMap<>();
    private final List<ConsumerRecord<String, ActivityDispatched>> records = new ArrayList<>();

    private void record(int partition, String tenant) {
        ActivityDispatched dispatched = ActivityDispatched.newBuilder().setExecutionId("e").setTenant(tenant)
                .setWorkflowId("w").setActivity(1).setDispatch(1).setIdempotencyKey("k").setPosition("/do/0/x")
                .setMethod("GET").setUri("http://127.0.0.1/").setDeadline(Instant.EPOCH).build();
        records.add(new ConsumerRecord<>(TOPIC, partition, records.size(), "e", dispatched));
    }

    private int waiting() {
        return waitingOf.values().stream().mapToInt(Integer::intValue).sum();
    }

    private List<String> take(ReadAhead readAhead) {
        var taken = readAhead.take(records, waiting(), tenant -> waitingOf.getOrDefault(tenant, 0));
        return taken.stream().map(r -> r.partition() + r.value().getTenant()).toList();
    }

    private void resume(ReadAhead readAhead) {
        readAhead.resumeIfDrained(this::waiting, tenant -> waitingOf.getOrDefault(tenant, 0));
    }

    @Test
    void shouldTakeAWholeBatchWhileThereIsRoom() {
        var readAhead = new ReadAhead(8, () -> container);
        record(0, "a");
        record(1, "b");
        record(0, "a");

        assertThat(take(readAhead)).containsExactly("0a", "1b", "0a");
        assertThat(container.paused).isFalse();
        assertThat(container.pausedPartitions).isEmpty();
    }

    @Test
    void shouldPauseTheListenerWhenTheQueueIsFullAndResumeItAtHalf() {
        var readAhead = new ReadAhead(4, () -> container);
        waitingOf.put("a", 1);
        waitingOf.put("b", 1);
        record(0, "c");
        record(1, "d");
        record(2, "e");

        assertThat(take(readAhead)).containsExactly("0c", "1d");
        assertThat(container.paused).isTrue();

        waitingOf.put("c", 1);
        resume(readAhead);
        assertThat(container.paused).as("3 waiting, more than half").isTrue();
        waitingOf.put("c", 0);
        resume(readAhead);
        assertThat(container.paused).isFalse();
    }

    @Test
    void shouldPauseThePartitionsBringingATenantPastHalfTheQueueAndKeepReadingTheOthers() {
        var readAhead = new ReadAhead(8, () -> container);
        waitingOf.put("a", 3);
        record(0, "a");
        record(0, "a");
        record(0, "b");
        record(1, "b");
        record(1, "a");
        record(1, "b");
        record(2, "b");

        assertThat(take(readAhead)).as("a reached 4 of 8; what follows on its partitions is read later")
                .containsExactly("0a", "1b", "2b");
        assertThat(container.paused).isFalse();
        assertThat(container.pausedPartitions).containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0),
                new TopicPartition(TOPIC, 1));

        waitingOf.put("a", 3);
        resume(readAhead);
        assertThat(container.pausedPartitions).hasSize(2);
        waitingOf.put("a", 2);
        resume(readAhead);
        assertThat(container.pausedPartitions).isEmpty();
    }
}
