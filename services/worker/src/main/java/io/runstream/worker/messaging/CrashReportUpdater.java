package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionCrashReported;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the worker's global copy of crash reports, one entry per report, keyed executionId/reportId. */
final class CrashReportUpdater implements Processor<String, ExecutionCrashReported, Void, Void> {

    private KeyValueStore<String, ExecutionCrashReported> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ExecutionTopology.CRASHES);
    }

    @Override
    public void process(Record<String, ExecutionCrashReported> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
