package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The parsed definition; an unreadable text fails with {@link InvalidDefinitionException}. One with mistakes is
     * given with its {@link Definition#problems()}: a new execution must not start on it, but one already running on
     * a definition stored before those checks goes on as it would have.
     */
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

    /**
     * Compiles a definition once, as when it is stored: the same checks the worker makes when it first needs it, so
     * a mistake is refused then, with where it is, rather than found in the middle of a run.
     *
     * @throws InvalidDefinitionException naming each mistake found
     */
    public static Definition compile(String text) {
        Definition definition = parse(text);
        if (!definition.problems().isEmpty()) {
            throw new InvalidDefinitionException(definition.problems());
        }
        return definition;
    }

    /**
     * The namespace, name and version a definition's {@code document} declares, read without compiling it (a
     * subflow is found by them); null for a text that is not a definition with a document.
     */
    public static Document document(String text) {
        try {
            JsonNode document = text == null ? null : YAML.readTree(text).path("document");
            if (document == null || !document.isObject()) {
                return null;
            }
            return new Document(document.path("namespace").asText(""), document.path("name").asText(""),
                    document.path("version").asText(""));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What a workflow's {@code document} says it is: its namespace, name and version (a semantic version). */
    public record Document(String namespace, String name, String version) {
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

    /** A definition that cannot be compiled: unreadable, or with mistakes, each named with where it is. */
    public static final class InvalidDefinitionException extends RuntimeException {

        private static final int MAX_LISTED = 5;
        private final List<Problem> problems;

        InvalidDefinitionException(String message) {
            super(message);
            this.problems = List.of(new Problem("", message));
        }

        public InvalidDefinitionException(List<Problem> problems) {
            super(String.join("; ", problems.stream().limit(MAX_LISTED).map(Problem::toString).toList())
                    + (problems.size() > MAX_LISTED ? "; and " + (problems.size() - MAX_LISTED) + " more" : ""));
            this.problems = List.copyOf(problems);
        }

        /** Each mistake, with its JSON pointer (empty for the definition as a whole). */
        public List<Problem> problems() {
            return problems;
        }
    }
}
