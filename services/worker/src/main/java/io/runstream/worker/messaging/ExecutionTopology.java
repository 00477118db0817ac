package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.RunDispatched;
import io.runstream.schemas.internal.RunReported;
import io.runstream.schemas.serde.AvroSerdes;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.worker.config.WorkerProperties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The worker's stream: start commands, stop commands and run reports, all keyed by execution id and co-partitioned,
 * merge into one processor that owns the changelog-backed state store and writes status events and run dispatches.
 * The workflow catalog ({@code runstream.workflows}) is a global store, fully restored before processing starts, so a
 * request produced straight to Kafka with only a workflow id runs that workflow's current version.
 */
public final class ExecutionTopology {

    static final String STORE = "executions";
    static final String LEASES = "leases";
    static final String WORKFLOWS = "workflows";

    private ExecutionTopology() {
    }

    public static void build(StreamsBuilder builder, WorkerProperties.Topics topics, WorkerProperties.Runs runs,
            SchemaRegistry registry) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                AvroSerdes.valueSerde(registry, ExecutionState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEASES), Serdes.String(),
                Serdes.Long()));

        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WORKFLOWS),
                        Serdes.String(), AvroSerdes.valueSerde(registry, WorkflowDefinition.class)).withLoggingDisabled(),
                topics.workflows(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, WorkflowDefinition.class)),
                WorkflowCatalogUpdater::new);

        KStream<String, SpecificRecord> requests = builder
                .stream(topics.commands(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, ExecutionRequested.class)))
                .mapValues(v -> (SpecificRecord) v);
        KStream<String, SpecificRecord> reports = builder
                .stream(topics.reports(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, RunReported.class)))
                .mapValues(v -> (SpecificRecord) v);

        KStream<String, SpecificRecord> stops = builder
                .stream(topics.stops(), Consumed.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, ExecutionStopRequested.class)))
                .mapValues(v -> (SpecificRecord) v);

        KStream<String, SpecificRecord> output = requests.merge(reports).merge(stops)
                .process(() -> new ExecutionProcessor(runs), STORE, LEASES);

        output.filter((key, value) -> value instanceof ExecutionStatusChanged)
                .mapValues(value -> (ExecutionStatusChanged) value)
                .to(topics.status(), Produced.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, ExecutionStatusChanged.class)));
        output.filter((key, value) -> value instanceof RunDispatched)
                .mapValues(value -> (RunDispatched) value)
                .to(topics.dispatch(), Produced.with(Serdes.String(),
                        AvroSerdes.valueSerde(registry, RunDispatched.class)));
    }
}
