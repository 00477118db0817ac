package io.runstream.worker.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each workflow definition's text, kept once per partition under its content hash, so an execution's state
 * carries a reference ({@code sha256:<hex>}) instead of its own copy of the text. Keyed by content, not by
 * (tenant, workflow, version): a request produced straight to Kafka may carry any text under any version, and the
 * same text under two versions is kept once. Texts are never removed; there are as many as distinct definitions
 * ever started on the partition. State written before references carries the text itself, which is still read.
 */
final class DefinitionTexts {

    private static final String PREFIX = "sha256:";

    private final KeyValueStore<String, String> store;

    DefinitionTexts(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Keeps the text (if it is not kept yet) and returns its reference. */
    String remember(String text) {
        String reference = PREFIX + HexFormat.of().formatHex(sha256(text));
        if (store.get(reference) == null) {
            store.put(reference, text);
        }
        return reference;
    }

    /** The text behind a reference; a text (from state written before references) is returned as it is. */
    String text(String definition) {
        if (!isReference(definition)) {
            return definition;
        }
        String text = store.get(definition);
        if (text == null) {
            throw new IllegalStateException("The definition " + definition + " is missing from the definitions store");
        }
        return text;
    }

    static boolean isReference(String definition) {
        return definition != null && definition.startsWith(PREFIX);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
