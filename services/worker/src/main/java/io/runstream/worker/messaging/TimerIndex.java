package io.runstream.worker.messaging;

import io.runstream.engine.Timer;
import io.runstream.worker.domain.DueTimer;
import io.runstream.worker.domain.TimerStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Durable timers of every execution on a partition, in a store keyed by due time: big-endian due millis, then the
 * timer's number, then the execution id. The store is ordered by key, so what is due is always at its front and a
 * check reads only that, however many executions are parked.
 */
final class TimerIndex implements TimerStore {

    private static final byte[] NOTHING = new byte[0];
    private final KeyValueStore<Bytes, byte[]> store;
    /** Every timer before this due time was taken already: a check starts here, past the deleted entries. */
    private long low;
    /** The earliest due time added since {@link #takeEarliestAdded} was last called. */
    private long earliestAdded = Long.MAX_VALUE;

    TimerIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void add(String executionId, Timer timer) {
        low = Math.min(low, timer.due().toEpochMilli());
        earliestAdded = Math.min(earliestAdded, timer.due().toEpochMilli());
        store.put(key(executionId, timer.due().toEpochMilli(), timer.seq()), NOTHING);
    }

    void remove(String executionId, Timer timer) {
        store.delete(key(executionId, timer.due().toEpochMilli(), timer.seq()));
    }

    /** The earliest due time added since the last call, or {@link Long#MAX_VALUE} if none was added. */
    long takeEarliestAdded() {
        long earliest = earliestAdded;
        earliestAdded = Long.MAX_VALUE;
        return earliest;
    }

    /** The due time of the earliest timer, or {@link Long#MAX_VALUE} if there is none. */
    long nextDue() {
        byte[] from = ByteBuffer.allocate(8).putLong(low).array();
        try (KeyValueIterator<Bytes, byte[]> all = store.range(Bytes.wrap(from), null)) {
            return all.hasNext() ? ByteBuffer.wrap(all.next().key.get()).getLong() : Long.MAX_VALUE;
        }
    }

    @Override
    public List<DueTimer> takeDue(long now, int limit) {
        List<DueTimer> due = new ArrayList<>();
        byte[] from = ByteBuffer.allocate(8).putLong(low).array();
        byte[] to = ByteBuffer.allocate(9).putLong(now).put((byte) 0xFF).array();
        try (KeyValueIterator<Bytes, byte[]> all = store.range(Bytes.wrap(from), Bytes.wrap(to))) {
            while (all.hasNext() && due.size() < limit) {
                KeyValue<Bytes, byte[]> entry = all.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                long at = key.getLong();
                if (at > now) {
                    break;
                }
                long seq = key.getLong();
                String executionId = StandardCharsets.UTF_8.decode(key).toString();
                due.add(new DueTimer(executionId, seq, at));
            }
        }
        due.forEach(d -> store.delete(key(d.executionId(), d.dueAt(), d.seq())));
        if (due.size() < limit) {
            low = now;
        } else if (!due.isEmpty()) {
            low = due.get(due.size() - 1).dueAt();
        }
        return due;
    }

    private static Bytes key(String executionId, long dueMillis, long seq) {
        byte[] id = executionId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(16 + id.length).putLong(dueMillis).putLong(seq).put(id).array());
    }
}
