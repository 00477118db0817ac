package io.runstream.worker.runner;

import io.runstream.schemas.internal.ActivityDispatched;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Bounds the dispatches the runner reads ahead of its slots: it must read past one tenant's backlog to see that
 * another tenant waits, but may hold only {@code maxWaiting} dispatches, and one tenant only half of them. A tenant
 * at its half pauses the partitions that bring its dispatches (the others keep being read); at {@code maxWaiting}
 * the whole listener pauses. Each resumes once what it waited on is down to half.
 */
final class ReadAhead {

    private final int maxWaiting;
    private final int perTenant;
    private final Supplier<MessageListenerContainer> container;
    private final Map<TopicPartition, String> pausedFor = new HashMap<>();

    ReadAhead(int maxWaiting, Supplier<MessageListenerContainer> container) {
        this.maxWaiting = maxWaiting;
        this.perTenant = Math.max(1, maxWaiting / 2);
        this.container = container;
    }

    /**
     * The records of a batch that may be taken, in order, counting each taken one as waiting; on each partition
     * they are a prefix of its records. Pauses what is full; the caller reads the rest again.
     */
    synchronized List<ConsumerRecord<String, ActivityDispatched>> take(
            List<ConsumerRecord<String, ActivityDispatched>> records, int waiting, ToIntFunction<String> waitingOf) {
        List<ConsumerRecord<String, ActivityDispatched>> taken = new ArrayList<>();
        Map<String, Integer> takenOf = new HashMap<>();
        Set<TopicPartition> closed = new HashSet<>();
        for (ConsumerRecord<String, ActivityDispatched> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (closed.contains(partition)) {
                continue;
            }
            if (waiting + taken.size() >= maxWaiting) {
                container.get().pause();
                break;
            }
            String tenant = record.value().getTenant();
            if (waitingOf.applyAsInt(tenant) + takenOf.getOrDefault(tenant, 0) >= perTenant) {
                closed.add(partition);
                pausedFor.put(partition, tenant);
                container.get().pausePartition(partition);
                continue;
            }
            taken.add(record);
            takenOf.merge(tenant, 1, Integer::sum);
        }
        return taken;
    }

    /** Resumes the listener, and each partition paused for a tenant, once what it waited on is down to half. */
    synchronized void resumeIfDrained(IntSupplier waiting, ToIntFunction<String> waitingOf) {
        MessageListenerContainer listener = container.get();
        if (listener == null) {
            return;
        }
        if (listener.isPauseRequested() && waiting.getAsInt() <= maxWaiting / 2) {
            listener.resume();
        }
        pausedFor.entrySet().removeIf(paused -> {
            if (waitingOf.applyAsInt(paused.getValue()) > perTenant / 2) {
                return false;
            }
            listener.resumePartition(paused.getKey());
            return true;
        });
    }
}
