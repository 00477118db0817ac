package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionSignalled;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ActivityCancelled;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.CorrelationRecord;
import io.runstream.schemas.internal.EventDelivered;
import io.runstream.schemas.internal.EventEmitted;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionCrashReported;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.ScheduleRecord;
import io.runstream.schemas.internal.ScheduleState;
import io.runstream.schemas.internal.StartsBarrier;
import io.runstream.schemas.internal.SubflowEnded;
import io.runstream.schemas.serde.AvroSerdes;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.settings.WorkerProperties;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The worker's stream: start commands, control commands (stop and the rest, each decided with an outcome on
 * {@code runstream.executions.control-outcomes}), legacy stop requests, activity results, continuations and the ends
 * of subflows, all keyed by execution id and co-partitioned, merge into one processor that owns the execution store
 * and the timer index, and writes status events, task steps, activity dispatches, continuations, the subflows it
 * starts and stops, and the ends of subflows to their parents. A command for an execution not seen yet is held (a
 * store of its own) until a barrier it sends through the commands topic comes back (see {@link HeldCommands}). The workflow catalog ({@code runstream.workflows})
 * is a global store, fully restored before processing starts, so a request produced straight to Kafka with only a
 * workflow id runs that workflow's current version. Crash reports ({@code runstream.worker.crashes}) are a global
 * store too, so an execution whose input keeps crashing worker instances is quarantined before it runs again.
 */
public final class ExecutionTopology {

    static final String STORE = "executions";
    static final String TIMERS = "timers";
    static final String FINISHED = "finished";
    static final String WORKFLOWS = "workflows";
    static final String CRASHES = "crashes";
    static final String DEFINITIONS = "definitions";
    static final String REDRIVABLE = "redrivable";
    static final String DECIDED = "decided-commands";
    static final String LISTENS = "correlation-listens";
    static final String SHAPES = "correlation-shapes";
    static final String EVENT_BUFFER = "correlation-buffer";
    static final String INDEXED_EVENTS = "correlation-indexed-events";
    static final String SEEN_EVENTS = "correlation-seen";
    static final String SCHEDULES = "schedules";
    static final String HELD = "held-commands";

    private ExecutionTopology() {
    }

    public static void build(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            CrashMarks marks) {
        build(builder, properties, registry, marks, ExecutionMetrics.none());
    }

    public static void build(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            CrashMarks marks, ExecutionMetrics metrics) {
        WorkerProperties.Topics topics = properties.topics();
        SubflowIndex subflows = new SubflowIndex();
        CommitPacer commits = CommitPacer.of(properties.commits());
        addStores(builder, properties, registry, subflows);

        KStream<String, SpecificRecord> input = stream(builder, topics.commands(), registry, ExecutionRequested.class)
                .merge(stream(builder, topics.reports(), registry, ActivityReported.class))
                .merge(stream(builder, topics.stops(), registry, ExecutionStopRequested.class))
                .merge(stream(builder, topics.control(), registry, ExecutionCommandRequested.class))
                .merge(stream(builder, topics.continuations(), registry, ExecutionContinued.class))
                .merge(stream(builder, topics.deliveries(), registry, EventDelivered.class))
                .merge(stream(builder, topics.signals(), registry, ExecutionSignalled.class))
                .merge(stream(builder, topics.subflows(), registry, SubflowEnded.class));

        KStream<String, SpecificRecord> output = input.process(() -> new ExecutionProcessor(properties, marks, metrics,
                subflows, commits), STORE, TIMERS, FINISHED, DEFINITIONS, REDRIVABLE, DECIDED, HELD);

        to(output, topics.status(), registry, ExecutionStatusChanged.class);
        to(output, topics.tasks(), registry, ExecutionTaskEnded.class);
        to(output, topics.dispatch(), registry, ActivityDispatched.class);
        to(output, topics.cancels(), registry, ActivityCancelled.class);
        to(output, topics.continuations(), registry, ExecutionContinued.class);
        // a resumed execution sends itself the results it held back while paused
        to(output, topics.reports(), registry, ActivityReported.class);
        to(output, topics.controlOutcomes(), registry, ExecutionCommandDecided.class);
        // emitted events leave as CloudEvents (Kafka binding, binary mode): their attributes are the record's headers
        output.filter((key, value) -> value instanceof EventEmitted)
                .mapValues(value -> ((EventEmitted) value).getValue() == null ? null
                        : AvroMapper.bytes(((EventEmitted) value).getValue()))
                .to(topics.events(), Produced.with(Serdes.String(), Serdes.ByteArray()));
        // barriers for commands held until their executions' starts are read: no value, on the starts' partition
        output.filter((key, value) -> value instanceof StartsBarrier, Named.as("to-barriers"))
                .mapValues(value -> (byte[]) null, Named.as("barriers"))
                .to(topics.commands(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("starts-barriers"));
        // listens opening and closing, and events delivered again after a pause
        to(output, topics.correlation(), registry, CorrelationRecord.class);
        to(output, topics.deliveries(), registry, EventDelivered.class);
        // the end of each run of an 'after' schedule, back to its workflow's scheduler; subflows to start and stop,
        // to the scheduler of their tenant
        routed(output, ScheduleRecord.class, topics.schedules(), registry, "to-schedule-runs", "schedule-runs",
                "schedule-run-ends");
        // the end of a subflow, to the execution that started it
        to(output, topics.subflows(), registry, SubflowEnded.class);
        correlation(builder, properties, registry);
        schedules(builder, properties, registry, metrics);
    }

    /**
     * Workflows' schedules: each is owned by the task of the schedules topic's partition its workflow key falls on,
     * which starts its fires on the commands topic and hears there the end of each {@code after} run.
     */
    private static void schedules(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            ExecutionMetrics metrics) {
        WorkerProperties.Topics topics = properties.topics();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCHEDULES), Serdes.String(),
                AvroSerdes.valueSerde(registry, ScheduleState.class)));
        KStream<String, SpecificRecord> starts = builder.stream(topics.schedules(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, ScheduleRecord.class)).withName("schedule-input"))
                .process(() -> new Scheduler(properties, metrics), Named.as("scheduler"), SCHEDULES);
        routed(starts, ExecutionRequested.class, topics.commands(), registry, "to-starts", "scheduled-starts",
                "schedule-fires");
        // subflows no longer waited on, stopped as a caller would stop them
        routed(starts, ExecutionCommandRequested.class, topics.control(), registry, "to-stops", "subflow-stops",
                "subflow-stop-commands");
        // the filters of each schedule.on, opened and closed in the correlation index
        routed(starts, CorrelationRecord.class, topics.correlation(), registry, "to-index", "schedule-triggers",
                "schedule-trigger-records");
    }

    /**
     * The correlation index: the event log routed by tenant and type, and listens opening and closing, meet on the
     * correlation topic's partitions; what matches goes to the listening execution by its id.
     */
    private static void correlation(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry) {
        WorkerProperties.Topics topics = properties.topics();
        Serde<CorrelationRecord> correlationSerde = AvroSerdes.valueSerde(registry, CorrelationRecord.class);
        builder.stream(topics.events(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("event-log"))
                .process(EventRouter::new, Named.as("event-router"))
                .to(topics.correlation(), Produced.with(Serdes.String(), correlationSerde).withName("event-routes"));
        Duration buffer = properties.events().buffer();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LISTENS), Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SHAPES), Serdes.String(),
                Serdes.Long()));
        // kept twice the buffer time: a shape that appears is indexed over a whole buffer time back
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(EVENT_BUFFER,
                buffer.multipliedBy(2), Duration.ofMillis(1), true), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(INDEXED_EVENTS,
                buffer.multipliedBy(2), Duration.ofMillis(1), true), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_EVENTS,
                properties.events().dedupWindow(), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        KStream<String, SpecificRecord> matched = builder.stream(topics.correlation(),
                        Consumed.with(Serdes.String(), correlationSerde).withName("correlation-input"))
                .process(() -> new Correlator(properties.events()), Named.as("correlator"), LISTENS, SHAPES,
                        EVENT_BUFFER, INDEXED_EVENTS, SEEN_EVENTS);
        routed(matched, EventDelivered.class, topics.deliveries(), registry, "to-listens", "listen-deliveries",
                "event-deliveries");
        routed(matched, ScheduleRecord.class, topics.schedules(), registry, "to-schedules", "schedule-events",
                "schedule-event-deliveries");
    }

    /** The records of one type of a processor's output, to their topic, through nodes named as given. */
    private static <T extends SpecificRecord> void routed(KStream<String, SpecificRecord> output, Class<T> type,
            String topic, SchemaRegistry registry, String filterName, String castName, String sinkName) {
        output.filter((key, value) -> type.isInstance(value), Named.as(filterName))
                .mapValues(type::cast, Named.as(castName))
                .to(topic, Produced.with(Serdes.String(), AvroSerdes.valueSerde(registry, type)).withName(sinkName));
    }

    /**
     * The processor's stores (executions, timers, definitions, finished, redrivable, decided commands) and the global
     * ones every instance reads in full (the workflow catalog and the crash reports).
     */
    private static void addStores(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            SubflowIndex subflows) {
        WorkerProperties.Topics topics = properties.topics();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS), Serdes.Bytes(),
                Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEFINITIONS),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(FINISHED,
                properties.retention(), Duration.ofMillis(1), false), Serdes.String(), Serdes.String()));
        // a window of zero (redrive off) still needs a store; nothing is written to it
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(REDRIVABLE,
                        properties.redriveWindow().isZero() ? Duration.ofMinutes(1) : properties.redriveWindow(),
                        Duration.ofMillis(1), false), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionCommandRequested.class)));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DECIDED,
                properties.retention(), Duration.ofMillis(1), false), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionCommandDecided.class)));

        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WORKFLOWS),
                        Serdes.String(), AvroSerdes.valueSerde(registry, WorkflowDefinition.class)).withLoggingDisabled(),
                topics.workflows(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, WorkflowDefinition.class)),
                () -> new WorkflowCatalogUpdater(subflows));
        // crash reports are few and small; kept in memory, they are read again in full at every start
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CRASHES),
                        Serdes.String(), AvroSerdes.valueSerde(registry, ExecutionCrashReported.class))
                        .withLoggingDisabled(),
                topics.crashes(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, ExecutionCrashReported.class)),
                CrashReportUpdater::new);
    }

    private static <T extends SpecificRecord> KStream<String, SpecificRecord> stream(StreamsBuilder builder,
            String topic, SchemaRegistry registry, Class<T> type) {
        return builder.stream(topic, Consumed.with(Serdes.String(), AvroSerdes.valueSerde(registry, type)))
                .mapValues(v -> (SpecificRecord) v);
    }

    private static <T extends SpecificRecord> void to(KStream<String, SpecificRecord> output, String topic,
            SchemaRegistry registry, Class<T> type) {
        Serde<T> serde = AvroSerdes.valueSerde(registry, type);
        output.filter((key, value) -> type.isInstance(value))
                .mapValues(type::cast)
                .to(topic, Produced.with(Serdes.String(), serde));
    }
}
