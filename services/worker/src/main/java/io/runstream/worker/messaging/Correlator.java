package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.CorrelationValues;
import io.runstream.schemas.internal.CorrelationRecord;
import io.runstream.schemas.internal.EventDelivered;
import io.runstream.schemas.internal.ScheduleRecord;
import io.runstream.schemas.internal.ScheduleRecordKind;
import org.apache.avro.specific.SpecificRecord;
import io.runstream.worker.settings.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The correlation index, partitioned by route (see {@link CorrelationKeys}): events and listens of one route meet on
 * one partition. An event is dropped if its route saw its {@code source} and {@code id} within the dedup window; else
 * it is kept in the buffer, and, for each shape of listen its route has, indexed under the values it gives and sent
 * to each listen kept under them. A listen that opens is sent the buffered events kept under its values that arrived
 * up to the buffer time before it opened. The execution a delivery reaches checks it against the listen's filters.
 * Listens long in the index are checked with their executions now and then. The filters of workflows'
 * {@code schedule.on} are kept here too, opened and closed by their schedulers; what meets them goes to the
 * scheduler, keyed by workflow, and they see the events that arrive after they opened.
 */
final class Correlator implements Processor<String, CorrelationRecord, String, SpecificRecord> {

    private static final StringSerializer KEYS = new StringSerializer();
    /** Shapes seen at most this many at once keep their parsed expressions; past it the cache starts again. */
    private static final int MAX_SHAPES_CACHED = 1_000;

    private final WorkerProperties.Events settings;
    /** The from expressions of each shape key, parsed once rather than for every event. */
    private final java.util.Map<String, List<String>> froms = new java.util.HashMap<>();
    private final CorrelationValues evaluator = new CorrelationValues();
    private ProcessorContext<String, SpecificRecord> context;
    /** Index key of each open listen's filter, to when it opened. */
    private KeyValueStore<String, Long> listens;
    /** Shape key to how many open listens have that shape. */
    private KeyValueStore<String, Long> shapes;
    /** Events by route, for shapes that appear after them. */
    private WindowStore<String, String> buffer;
    /** Events by route, shape and values, for listens that open after them. */
    private WindowStore<String, String> indexed;
    /** Route, source and id of the events seen, within the dedup window. */
    private WindowStore<String, Long> seen;

    Correlator(WorkerProperties.Events settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.listens = context.getStateStore(ExecutionTopology.LISTENS);
        this.shapes = context.getStateStore(ExecutionTopology.SHAPES);
        this.buffer = context.getStateStore(ExecutionTopology.EVENT_BUFFER);
        this.indexed = context.getStateStore(ExecutionTopology.INDEXED_EVENTS);
        this.seen = context.getStateStore(ExecutionTopology.SEEN_EVENTS);
        Duration every = settings.listenCheck().dividedBy(4);
        context.schedule(every.isZero() ? Duration.ofSeconds(1) : every, PunctuationType.WALL_CLOCK_TIME,
                this::checkListens);
    }

    /**
     * Asks the execution of each listen that has been in the index longer than the check time, without word since,
     * whether it still has it: one it no longer has (it ended outside the engine, or a close was lost) is closed by
     * the execution's answer. Each listen is asked at most once per check time.
     */
    private void checkListens(long now) {
        long before = now - settings.listenCheck().toMillis();
        List<KeyValue<String, Long>> due = new java.util.ArrayList<>();
        try (KeyValueIterator<String, Long> all = listens.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> listen = all.next();
                if (listen.value < before && !isTrigger(listen.key)) {
                    due.add(listen);
                }
            }
        }
        for (KeyValue<String, Long> listen : due) {
            listens.put(listen.key, now);
            String[] tail = tail(listen.key);
            context.forward(new Record<>(tail[0], new EventDelivered(tail[0], CorrelationKeys.tenantOf(listen.key),
                    Long.parseLong(tail[1]), listen.key, "", Instant.ofEpochMilli(now), false, true, false), now));
        }
    }

    @Override
    public void process(Record<String, CorrelationRecord> record) {
        CorrelationRecord value = record.value();
        switch (value.getKind()) {
            case EVENT -> event(record.key(), value);
            case OPEN -> open(record.key(), value);
            case CLOSE -> close(value.getIndexKey());
            default -> {
                // written by a newer worker: nothing this one can do with it
            }
        }
    }

    private void event(String route, CorrelationRecord value) {
        JsonNode event = ProgressMapper.read(value.getEventJson());
        long at = value.getAcceptedAt().toEpochMilli();
        String dedup = route + CorrelationKeys.SEP + event.path("source").asText() + CorrelationKeys.SEP
                + event.path("id").asText();
        try (WindowStoreIterator<Long> before = seen.fetch(dedup, Instant.ofEpochMilli(at)
                .minus(settings.dedupWindow()), Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            if (before.hasNext()) {
                return;
            }
        }
        seen.put(dedup, at, at);
        buffer.put(route, value.getEventJson(), at);
        try (KeyValueIterator<String, Long> routeShapes = shapes.prefixScan(route + CorrelationKeys.SEP,
                KEYS)) {
            while (routeShapes.hasNext()) {
                String shape = routeShapes.next().key;
                String values = CorrelationKeys.values(froms(shape), event, evaluator);
                if (values == null) {
                    continue;
                }
                String valuesKey = CorrelationKeys.valuesKey(shape, values);
                indexed.put(valuesKey, value.getEventJson(), at);
                deliverToListens(valuesKey, value, false);
            }
        }
    }

    private void deliverToListens(String valuesKey, CorrelationRecord event, boolean buffered) {
        try (KeyValueIterator<String, Long> matching = listens.prefixScan(valuesKey + CorrelationKeys.SEP,
                KEYS)) {
            while (matching.hasNext()) {
                deliver(matching.next().key, event.getTenant(), event.getEventJson(), event.getAcceptedAt(),
                        buffered);
            }
        }
    }

    private void open(String route, CorrelationRecord value) {
        String indexKey = value.getIndexKey();
        String valuesKey = valuesKeyOf(indexKey);
        String shape = valuesKey.substring(0, valuesKey.lastIndexOf(CorrelationKeys.SEP));
        if (listens.get(indexKey) == null) {
            Long count = shapes.get(shape);
            if (count != null && count >= settings.maxScannedListens() && scansEveryEvent(shape)
                    && !isTrigger(indexKey)) {
                String[] tail = tail(indexKey);
                context.forward(new Record<>(tail[0], new EventDelivered(tail[0], value.getTenant(),
                        Long.parseLong(tail[1]), indexKey, "", value.getAcceptedAt(), false, false, true),
                        context.currentSystemTimeMs()));
                return;
            }
            if (count == null) {
                indexBuffer(route, shape);
            }
            shapes.put(shape, count == null ? 1 : count + 1);
        }
        long openedAt = value.getAcceptedAt().toEpochMilli();
        listens.put(indexKey, openedAt);
        // a listen sees events up to the buffer time before it opened; a schedule's on, those since it opened
        Instant from = isTrigger(indexKey) ? Instant.ofEpochMilli(openedAt)
                : Instant.ofEpochMilli(openedAt).minus(settings.buffer());
        try (WindowStoreIterator<String> earlier = indexed.fetch(valuesKey, from,
                Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (earlier.hasNext()) {
                KeyValue<Long, String> kept = earlier.next();
                deliver(indexKey, value.getTenant(), kept.value, Instant.ofEpochMilli(kept.key), true);
            }
        }
    }

    /** A shape new to its route: the buffered events of the route are indexed under it. */
    private void indexBuffer(String route, String shape) {
        List<String> froms = froms(shape);
        long now = context.currentSystemTimeMs();
        try (WindowStoreIterator<String> kept = buffer.fetch(route, Instant.ofEpochMilli(now)
                .minus(settings.buffer()).minus(settings.buffer()), Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            while (kept.hasNext()) {
                KeyValue<Long, String> event = kept.next();
                String values = CorrelationKeys.values(froms, ProgressMapper.read(event.value), evaluator);
                if (values != null) {
                    indexed.put(CorrelationKeys.valuesKey(shape, values), event.value, event.key);
                }
            }
        }
    }

    private List<String> froms(String shape) {
        if (froms.size() >= MAX_SHAPES_CACHED) {
            froms.clear();
        }
        return froms.computeIfAbsent(shape, CorrelationKeys::froms);
    }

    private void close(String indexKey) {
        if (indexKey == null || listens.get(indexKey) == null) {
            return;
        }
        listens.delete(indexKey);
        String valuesKey = valuesKeyOf(indexKey);
        String shape = valuesKey.substring(0, valuesKey.lastIndexOf(CorrelationKeys.SEP));
        Long count = shapes.get(shape);
        if (count == null || count <= 1) {
            shapes.delete(shape);
        } else {
            shapes.put(shape, count - 1);
        }
    }

    private void deliver(String indexKey, String tenant, String eventJson, Instant acceptedAt, boolean buffered) {
        String[] tail = tail(indexKey);
        if (tail[0].startsWith(CorrelationKeys.TRIGGER)) {
            String workflowKey = tail[0].substring(CorrelationKeys.TRIGGER.length());
            context.forward(new Record<>(tenant, new ScheduleRecord(ScheduleRecordKind.EVENT, tenant,
                    workflowKey.substring(workflowKey.indexOf('/') + 1), "", acceptedAt, eventJson,
                    Integer.parseInt(tail[2]), null, null), context.currentSystemTimeMs()));
            return;
        }
        context.forward(new Record<>(tail[0], new EventDelivered(tail[0], tenant, Long.parseLong(tail[1]), indexKey,
                eventJson, acceptedAt, buffered, false, false), context.currentSystemTimeMs()));
    }

    /** An index key without its execution, listen number and filter number. */
    private static String valuesKeyOf(String indexKey) {
        int end = indexKey.length();
        for (int i = 0; i < 3; i++) {
            end = indexKey.lastIndexOf(CorrelationKeys.SEP, end - 1);
        }
        return indexKey.substring(0, end);
    }

    /** The execution id (or trigger), listen number and filter number of an index key. */
    private static String[] tail(String indexKey) {
        return indexKey.substring(valuesKeyOf(indexKey).length() + 1).split(String.valueOf(CorrelationKeys.SEP));
    }

    /**
     * Whether the listens of a shape are given every event of their tenant: under the tenant's catch-all route (no
     * exact type) and with no correlation values to be found by.
     */
    private static boolean scansEveryEvent(String shape) {
        return shape.endsWith(CorrelationKeys.SEP + CorrelationKeys.ANY_TYPE + CorrelationKeys.SEP + "[]");
    }

    /** Whether an index key is a filter of a workflow's {@code schedule.on}, which its scheduler opens and closes. */
    private static boolean isTrigger(String indexKey) {
        return tail(indexKey)[0].startsWith(CorrelationKeys.TRIGGER);
    }
}
