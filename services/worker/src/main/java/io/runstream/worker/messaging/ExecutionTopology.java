package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ActivityCancelled;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.EventEmitted;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionCrashReported;
import io.runstream.schemas.internal.ExecutionState;
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
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The worker's stream: start commands, control commands (stop and the rest, each decided with an outcome on
 * {@code runstream.executions.control-outcomes}), legacy stop requests, activity results and continuations, all keyed
 * by execution id and co-partitioned, merge into one processor that owns the execution store and the timer index, and writes
 * status events, task steps, activity dispatches and continuations. The workflow catalog ({@code runstream.workflows})
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

    private ExecutionTopology() {
    }

    public static void build(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            CrashMarks marks) {
        build(builder, properties, registry, marks, ExecutionMetrics.none());
    }

    public static void build(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry,
            CrashMarks marks, ExecutionMetrics metrics) {
        WorkerProperties.Topics topics = properties.topics();
        addStores(builder, properties, registry);

        KStream<String, SpecificRecord> input = stream(builder, topics.commands(), registry, ExecutionRequested.class)
                .merge(stream(builder, topics.reports(), registry, ActivityReported.class))
                .merge(stream(builder, topics.stops(), registry, ExecutionStopRequested.class))
                .merge(stream(builder, topics.control(), registry, ExecutionCommandRequested.class))
                .merge(stream(builder, topics.continuations(), registry, ExecutionContinued.class));

        KStream<String, SpecificRecord> output = input.process(() -> new ExecutionProcessor(properties, marks, metrics), STORE,
                TIMERS, FINISHED, DEFINITIONS, REDRIVABLE, DECIDED);

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
    }

    /**
     * The processor's stores (executions, timers, definitions, finished, redrivable, decided commands) and the global
     * ones every instance reads in full (the workflow catalog and the crash reports).
     */
    private static void addStores(StreamsBuilder builder, WorkerProperties properties, SchemaRegistry registry) {
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
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(DECIDED,
                properties.retention(), Duration.ofMillis(1), false), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionCommandDecided.class)));

        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WORKFLOWS),
                        Serdes.String(), AvroSerdes.valueSerde(registry, WorkflowDefinition.class)).withLoggingDisabled(),
                topics.workflows(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, WorkflowDefinition.class)),
                WorkflowCatalogUpdater::new);
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
