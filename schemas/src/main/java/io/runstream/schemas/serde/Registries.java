package io.runstream.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One registry client per URL per JVM, so every serde shares the same id cache. */
final class Registries {

    private static final Map<String, SchemaRegistry> BY_URL = new ConcurrentHashMap<>();

    private Registries() {
    }

    static SchemaRegistry forUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        String normalized = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return BY_URL.computeIfAbsent(normalized, Registries::create);
    }

    private static SchemaRegistry create(String url) {
        if (url.startsWith("mock://")) {
            return new InMemorySchemaRegistry();
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new RestSchemaRegistry(url);
        }
        throw new IllegalArgumentException("Unsupported schema.registry.url: " + url);
    }
}
