package io.runstream.schemas.serde;

import org.apache.avro.Schema;

/** The two registry operations the wire format needs: register a schema under a subject, and look one up by id. */
public interface SchemaRegistry {

    /** Registers the schema under the subject (or finds it registered) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the schema with this global id. */
    Schema schemaById(int id);

    /**
     * Returns the registry for a URL: {@code http(s)://...} is a Confluent-compatible REST registry,
     * {@code mock://name} an in-memory one shared by name within this JVM (for tests). Instances are cached.
     */
    static SchemaRegistry forUrl(String url) {
        return Registries.forUrl(url);
    }
}
