package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionCrashReported;
import io.runstream.worker.domain.CrashCounts;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The crash reports of each execution, read from the worker's global copy (see {@link CrashReportUpdater}). */
final class CrashReports implements CrashCounts {

    /** Between the execution id and the report id: a character no execution id holds. */
    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, ExecutionCrashReported> store;

    CrashReports(KeyValueStore<String, ExecutionCrashReported> store) {
        this.store = store;
    }

    static String key(String executionId, String reportId) {
        return executionId + SEPARATOR + reportId;
    }

    /** How many times an input of this execution was in flight when a worker instance stopped. */
    @Override
    public int count(String executionId) {
        int count = 0;
        try (KeyValueIterator<String, ExecutionCrashReported> reports = store.prefixScan(executionId + SEPARATOR,
                KEYS)) {
            while (reports.hasNext()) {
                reports.next();
                count++;
            }
        }
        return count;
    }
}
