package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Properties;

/**
 * The spec's descriptor arguments of runtime expressions, built from the stored progress and the turn's inputs only
 * (never the wall clock), so a replayed turn sees the same: {@code $workflow}, {@code $task}, {@code $runtime} and
 * the date-time descriptor their start times are given in.
 */
final class Descriptors {

    /** The runtime, as {@code $runtime} describes it: its name, the engine's version, and no metadata yet. */
    static final JsonNode RUNTIME = runtime();

    private Descriptors() {
    }

    /** {@code {iso8601, epoch: {seconds, milliseconds}}}. */
    static JsonNode dateTime(Instant at) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("iso8601", at.toString());
        ObjectNode epoch = node.putObject("epoch");
        epoch.put("seconds", at.getEpochSecond());
        epoch.put("milliseconds", at.toEpochMilli());
        return node;
    }

    /** {@code $workflow}: the execution's id, the definition, its raw input (before {@code input.from}), its start. */
    static ObjectNode workflow(String id, JsonNode definition, JsonNode rawInput, Instant startedAt) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.set("definition", definition);
        node.set("input", rawInput);
        node.set("startedAt", dateTime(startedAt));
        return node;
    }

    /**
     * {@code $task}: its name, reference (JSON pointer), definition, raw input (before {@code input.from}), raw
     * output (before {@code output.as}; null for none yet, left out) and start.
     */
    static ObjectNode task(Task task, JsonNode definition, JsonNode rawInput, JsonNode rawOutput, Instant startedAt) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", task.common().name());
        node.put("reference", task.at());
        node.set("definition", definition);
        node.set("input", rawInput);
        if (rawOutput != null) {
            node.set("output", rawOutput);
        }
        node.set("startedAt", dateTime(startedAt));
        return node;
    }

    private static JsonNode runtime() {
        Properties build = new Properties();
        try (InputStream in = Descriptors.class.getResourceAsStream("runtime.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("runtime.properties cannot be read", e);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", "Runstream");
        node.put("version", build.getProperty("version", "unknown"));
        node.putObject("metadata");
        return node;
    }
}
