package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas a definition gives its data ({@code input.schema}, {@code output.schema} and {@code export.schema}
 * on the workflow and on its tasks), compiled once with the definition, so the ingress and the worker check data
 * with the same program. Nothing is fetched: a schema is inline ({@code document}), an external {@code resource} is
 * refused, and so is a {@code $ref} outside the document, since a schema must not be a way around the egress policy.
 */
final class DataSchemas {

    /** The schema keys of the spec's data flow, under a workflow or a task. */
    private static final List<String> KINDS = List.of("input", "output", "export");
    /** The dialect of a schema that names none, the newest the validator knows. */
    private static final SpecificationVersion DEFAULT_DIALECT = SpecificationVersion.DRAFT_2020_12;
    /** Messages in one language whatever the machine's locale, so every instance words a violation the same. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DEFAULT_DIALECT, builder -> builder
            .schemaLoader(loader -> loader.fetchRemoteResources(false))
            .schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).pathType(PathType.JSON_POINTER)
                    .preloadSchema(true).build()));
    private static final DataSchemas NONE = new DataSchemas(Map.of(), List.of());

    /** Compiled schemas by where they are: the JSON pointer of the {@code schema} key. */
    private final Map<String, Schema> schemas;
    private final List<Problem> problems;

    private DataSchemas(Map<String, Schema> schemas, List<Problem> problems) {
        this.schemas = schemas;
        this.problems = problems;
    }

    /** Compiles the workflow's schemas and those of the tasks at {@code tasks} (their JSON pointers). */
    static DataSchemas compile(JsonNode source, Collection<String> tasks) {
        Map<String, Schema> compiled = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        owners.add("");
        owners.addAll(tasks.stream().sorted().toList());
        for (String owner : owners) {
            JsonNode node = owner.isEmpty() ? source : source.at(owner);
            for (String kind : KINDS) {
                JsonNode schema = node.path(kind).get("schema");
                if (schema != null) {
                    String at = owner + "/" + kind + "/schema";
                    compile(schema, at, problems).ifPresent(s -> compiled.put(at, s));
                }
            }
        }
        return compiled.isEmpty() && problems.isEmpty() ? NONE : new DataSchemas(Map.copyOf(compiled),
                List.copyOf(problems));
    }

    /** The schemas that cannot be compiled, each with its JSON pointer; none when all can. */
    List<Problem> problems() {
        return problems;
    }

    /**
     * Checks {@code value} against the schema at {@code at} (the pointer of a {@code schema} key), if there is one.
     *
     * @throws WorkflowError the spec's validation error, for the task or workflow at {@code instance}, naming where
     *     in the value the first violation is
     */
    /** True when the definition has no schema at all: no data is checked. */
    boolean none() {
        return schemas.isEmpty();
    }

    void check(String at, JsonNode value, String instance) {
        if (schemas.isEmpty()) {
            return;
        }
        violation(at, value).ifPresent(detail -> {
            throw WorkflowError.validation(instance, detail);
        });
    }

    /** The first violation of the schema at {@code at}, as "pointer: message"; empty when it holds or is absent. */
    Optional<String> violation(String at, JsonNode value) {
        Schema schema = schemas.get(at);
        if (schema == null) {
            return Optional.empty();
        }
        List<Error> errors = schema.validate(value);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        Error first = errors.get(0);
        String where = first.getInstanceLocation().toString();
        return Optional.of((where.isEmpty() ? "/" : where) + ": " + first.getMessage()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    }

    private static Optional<Schema> compile(JsonNode schema, String at, List<Problem> problems) {
        String format = schema.path("format").asText("");
        if (!format.equals("json")) {
            problems.add(new Problem(at + "/format", "'" + format + "' is not a schema format Runstream "
                    + "validates; use json (JSON Schema)"));
            return Optional.empty();
        }
        if (schema.has("resource")) {
            problems.add(new Problem(at + "/resource", "external schema resources are not fetched; give the "
                    + "schema inline as 'document'"));
            return Optional.empty();
        }
        JsonNode document = schema.get("document");
        if (document == null || !(document.isObject() || document.isBoolean())) {
            problems.add(new Problem(at + "/document", "a JSON Schema document (an object) is needed"));
            return Optional.empty();
        }
        int before = problems.size();
        remoteReferences(document, at + "/document", problems);
        metaSchemaViolations(document, at + "/document", problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(REGISTRY.getSchema(SchemaLocation.DOCUMENT, document));
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            problems.add(new Problem(at + "/document", "not a valid JSON Schema: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            return Optional.empty();
        }
    }

    /** A {@code $ref} or {@code $dynamicRef} may only point inside the document ({@code #...}): nothing is fetched. */
    private static void remoteReferences(JsonNode node, String at, List<Problem> problems) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                String fieldAt = at + "/" + escape(field.getKey());
                JsonNode value = field.getValue();
                if ((field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef")) && value.isTextual()
                        && !value.asText().startsWith("#")) {
                    problems.add(new Problem(fieldAt, "'" + value.asText() + "' is outside this schema; schemas "
                            + "are not fetched, so a reference may only point inside the document (#...)"));
                } else {
                    remoteReferences(value, fieldAt, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                remoteReferences(node.get(i), at + "/" + i, problems);
            }
        }
    }

    /** The document checked against the meta-schema of its dialect ({@code $schema}, or 2020-12 by default). */
    private static void metaSchemaViolations(JsonNode document, String at, List<Problem> problems) {
        String dialect = document.path("$schema").asText(DEFAULT_DIALECT.getDialectId());
        Optional<SpecificationVersion> known = SpecificationVersion.fromDialectId(dialect);
        if (known.isEmpty()) {
            problems.add(new Problem(at + "/$schema", "'" + dialect + "' is not a JSON Schema dialect Runstream "
                    + "knows (draft-04, -06, -07, 2019-09, 2020-12)"));
            return;
        }
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(known.get().getDialectId()));
        // a keyword with alternatives (type: a name or a list of names) is reported once, by its first
        Map<String, String> byWhere = new java.util.LinkedHashMap<>();
        meta.validate(document).forEach(error -> byWhere.putIfAbsent(at + error.getInstanceLocation(),
                error.getMessage()));
        byWhere.forEach((where, message) -> problems.add(new Problem(where, message)));
    }

    /** A JSON pointer token: ~ and / escaped. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
