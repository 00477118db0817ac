package io.runstream.schemas.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client of the Confluent Schema Registry REST API ({@code POST /subjects/{s}/versions},
 * {@code GET /schemas/ids/{id}}), with both directions cached: ids never change once assigned.
 */
final class RestSchemaRegistry implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    RestSchemaRegistry(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> registerRemotely(subject, s));
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, this::fetchRemotely);
    }

    private int registerRemotely(String subject, Schema schema) {
        String body = json.writeValueAsString(Map.of("schema", schema.toString()));
        String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions";
        JsonNode response = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)), "register schema under subject " + subject);
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("Registry returned no id for subject " + subject + ": " + response, 0);
        }
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private Schema fetchRemotely(int id) {
        JsonNode response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/schemas/ids/" + id)).GET(),
                "fetch schema " + id);
        String schemaText = response.path("schema").asString(null);
        if (schemaText == null) {
            throw new SchemaRegistryException("Registry returned no schema for id " + id + ": " + response, 0);
        }
        return new Schema.Parser().parse(schemaText);
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT)
                    .header("Accept", CONTENT_TYPE + ", application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException("Could not " + what + " at " + baseUrl + ": HTTP "
                        + response.statusCode() + " " + response.body(), response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("Could not " + what + " at " + baseUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while trying to " + what, e);
        }
    }
}
