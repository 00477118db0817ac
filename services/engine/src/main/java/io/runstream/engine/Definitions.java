package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed definitions, each parsed once and kept while it is in use: a bounded cache, least recently used first
 * out, keyed by the text itself or by a reference to it (its content hash), since a producer writing straight to
 * Kafka may send any text under any version.
 */
public final class Definitions {

    /** YAML is a superset of JSON, so one reader takes definitions in either format. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Definition> parsed;

    public Definitions(int capacity) {
        this.parsed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Definition> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The parsed definition; an unreadable text fails with {@link InvalidDefinitionException}. */
    public Definition get(String text) {
        return get(text, () -> text);
    }

    /**
     * The parsed definition kept under {@code key} (its text, or a reference to it), reading the text only when it
     * is not parsed yet.
     */
    public Definition get(String key, java.util.function.Supplier<String> text) {
        if (key == null) {
            throw new InvalidDefinitionException("The execution carries no workflow definition");
        }
        Definition definition = parsed.get(key);
        if (definition == null) {
            definition = parse(text.get());
            parsed.put(key, definition);
        }
        return definition;
    }

    private static Definition parse(String text) {
        try {
            JsonNode source = YAML.readTree(text);
            if (source == null || !source.isObject() || !source.path("do").isArray()) {
                throw new InvalidDefinitionException("The definition has no 'do' list of tasks");
            }
            return Definition.parse(source);
        } catch (IOException e) {
            throw new InvalidDefinitionException("The definition is not valid YAML or JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof InvalidDefinitionException) {
                throw e;
            }
            throw new InvalidDefinitionException("The definition cannot be read: " + e);
        }
    }

    /** A definition that cannot be parsed into tasks. */
    public static final class InvalidDefinitionException extends RuntimeException {
        InvalidDefinitionException(String message) {
            super(message);
        }
    }
}
