package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Input and output schemas at the ingress: a schema that cannot be compiled is refused when the definition is
 * stored, with where it is, and a start whose input breaks the workflow's input.schema is 400 INVALID_INPUT, with
 * the failing pointer, in every dialect, and recorded nowhere.
 */
class DataContractIT extends IngressTestBase {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    private static final String ORDERS = """
            document: {dsl: '1.0.0', namespace: test, name: orders, version: '0.1.0'}
            input:
              schema:
                format: json
                document:
                  type: object
                  required: [order]
                  properties:
                    order: {type: object, required: [id], properties: {id: {type: string}}}
            do:
              - echo:
                  set: {id: '${ .order.id }'}
            """;

    private final String workflow = "orders-" + UUID.randomUUID();

    @BeforeEach
    void defineWorkflow() {
        web.put().uri("/v1/workflows/{w}", workflow).contentType(YAML).bodyValue(ORDERS).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void shouldRefuseAStartWhoseInputBreaksTheSchemaInTheCanonicalDialect() {
        String key = UUID.randomUUID().toString();
        web.post().uri("/v1/workflows/{w}/executions", workflow).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue("{\"inputData\":{\"order\":{\"id\":7}}}").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_INPUT")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("input.schema").contains("/order/id: integer found, string expected"));
        assertThat(recorded(key)).as("nothing is recorded").isZero();

        web.post().uri("/v1/workflows/{w}/executions", workflow).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key).bodyValue("{\"inputData\":{\"order\":{\"id\":\"o-7\"}}}").exchange()
                .expectStatus().isCreated();
    }

    @Test
    void shouldRefuseAStartWhoseInputBreaksTheSchemaInTheYandexDialect() {
        web.post().uri("/workflows/v1/execution/start").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", workflow, "input", Map.of("inputJson", "{\"orders\":[]}")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo(3)
                .jsonPath("$.details[0].errorCode").isEqualTo("INVALID_INPUT")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/: required property 'order' not found"));
    }

    @Test
    void shouldRefuseAStartWhoseInputBreaksTheSchemaInTheExecutionsV1Dialect() {
        String key = UUID.randomUUID().toString();
        web.post().uri("/v1/executions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("workflowId", workflow, "sourceSystem", "crm", "sourceEntityType", "order",
                        "idempotencyKey", key, "requestPayload", Map.of("order", "o-1")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo(400)
                .jsonPath("$.errorCode").isEqualTo("INVALID_INPUT")
                .jsonPath("$.data").doesNotExist()
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/order: string found, object expected"));
        assertThat(recorded(key)).isZero();
    }

    @Test
    void shouldRefuseASchemaThatCannotBeCompiledNamingWhereItIs() {
        String id = "wf-" + UUID.randomUUID();
        web.put().uri("/v1/workflows/{w}", id).contentType(YAML).bodyValue("""
                document: {dsl: '1.0.0', namespace: test, name: bad, version: '0.1.0'}
                input:
                  schema: {format: json, document: {type: object, properties: {id: {type: text}}}}
                output:
                  schema: {format: json, resource: {endpoint: 'http://127.0.0.1:9/schema.json'}}
                do:
                  - echo:
                      input:
                        schema: {format: json, document: {$ref: 'http://127.0.0.1:9/order.json'}}
                      set: {ok: true}
                """).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_DEFINITION")
                .jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("/input/schema/document/properties/id/type: ")
                        .contains("/output/schema/resource: external schema resources are not fetched")
                        .contains("/do/0/echo/input/schema/document/$ref: 'http://127.0.0.1:9/order.json' is "
                                + "outside this schema"));
        web.get().uri("/v1/workflows/{id}", id).exchange().expectStatus().isNotFound();
    }

    private int recorded(String key) {
        return jdbc.sql("SELECT count(*) FROM execution_requests WHERE idempotency_key = ?").param(key)
                .query(Integer.class).single();
    }
}
