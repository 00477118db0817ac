package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.schemas.internal.ExecutionState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one execution left in a worker's stores (its state, its timers in the index, its definition's text), kept as
 * a file so that an engine of a later release can be shown to resume it. The state is an Avro container file, so it
 * carries the schema it was written with, as the registry does for a stored state.
 */
final class GoldenRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenRecords() {
    }

    /** Writes the execution's entries in the harness's stores, and a note of what to do next, to {@code file}. */
    static void save(TopologyHarness harness, String executionId, JsonNode next, Path file) throws IOException {
        ObjectNode record = JSON.createObjectNode();
        record.put("executionId", executionId);
        record.set("next", next);
        KeyValueStore<String, ExecutionState> executions = harness.driver.getKeyValueStore(ExecutionTopology.STORE);
        record.put("state", Base64.getEncoder().encodeToString(container(executions.get(executionId))));
        ObjectNode timers = record.putObject("timers");
        KeyValueStore<Bytes, byte[]> index = harness.driver.getKeyValueStore(ExecutionTopology.TIMERS);
        try (var all = index.all()) {
            all.forEachRemaining(kv -> timers.put(Base64.getEncoder().encodeToString(kv.key.get()),
                    Base64.getEncoder().encodeToString(kv.value)));
        }
        ObjectNode definitions = record.putObject("definitions");
        KeyValueStore<String, String> texts = harness.driver.getKeyValueStore(ExecutionTopology.DEFINITIONS);
        try (var all = texts.all()) {
            all.forEachRemaining(kv -> definitions.put(kv.key, kv.value));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record));
    }

    /** Puts what {@link #save} wrote into the harness's stores; returns the record, for its {@code next}. */
    static JsonNode load(TopologyHarness harness, Path file) throws IOException {
        JsonNode record = JSON.readTree(Files.readString(file));
        KeyValueStore<String, ExecutionState> executions = harness.driver.getKeyValueStore(ExecutionTopology.STORE);
        executions.put(record.get("executionId").asText(),
                read(Base64.getDecoder().decode(record.get("state").asText())));
        KeyValueStore<Bytes, byte[]> index = harness.driver.getKeyValueStore(ExecutionTopology.TIMERS);
        record.get("timers").properties().forEach(e -> index.put(Bytes.wrap(Base64.getDecoder().decode(e.getKey())),
                Base64.getDecoder().decode(e.getValue().asText())));
        KeyValueStore<String, String> texts = harness.driver.getKeyValueStore(ExecutionTopology.DEFINITIONS);
        record.get("definitions").properties().forEach(e -> texts.put(e.getKey(), e.getValue().asText()));
        return record;
    }

    private static byte[] container(ExecutionState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<ExecutionState> writer = new DataFileWriter<>(
                new SpecificDatumWriter<>(ExecutionState.class))) {
            writer.create(state.getSchema(), out);
            writer.append(state);
        }
        return out.toByteArray();
    }

    /** Reads the state with today's schema as the reader's, resolving it against the schema it was written with. */
    private static ExecutionState read(byte[] container) {
        try (DataFileReader<ExecutionState> reader = new DataFileReader<>(new SeekableByteArrayInput(container),
                new SpecificDatumReader<>(ExecutionState.class))) {
            return reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
