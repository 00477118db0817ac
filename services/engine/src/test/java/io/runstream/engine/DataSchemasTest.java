package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Input, output and export schemas: compiled with the definition, their mistakes refused with where they are. */
class DataSchemasTest {

    private static final String HEAD = "document: {dsl: '1.0.0', namespace: t, name: w, version: '0.1.0'}\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Problem> problems(String body) {
        var refused = catchThrowableOfType(Definitions.InvalidDefinitionException.class,
                () -> Definitions.compile(HEAD + body));
        assertThat(refused).as("the definition is refused").isNotNull();
        return refused.problems();
    }

    @Test
    void shouldRefuseASchemaThatBreaksItsMetaSchemaWithThePointerOfTheMistake() {
        assertThat(problems("""
                input:
                  schema: {format: json, document: {type: object, properties: {id: {type: 5}}}}
                do: [{a: {set: {}}}]
                """)).singleElement().satisfies(p -> {
                    assertThat(p.at()).isEqualTo("/input/schema/document/properties/id/type");
                    assertThat(p.message()).contains("string");
                });
    }

    @Test
    void shouldRefuseATaskSchemaThatBreaksItsMetaSchema() {
        assertThat(problems("""
                do:
                  - a:
                      output:
                        schema: {format: json, document: {type: object, required: id}}
                      set: {}
                """)).extracting(Problem::at).containsExactly("/do/0/a/output/schema/document/required");
    }

    @Test
    void shouldRefuseAnExternalResourceWithoutFetchingIt() {
        assertThat(problems("""
                input:
                  schema: {format: json, resource: {endpoint: 'http://127.0.0.1:1/schema.json'}}
                do: [{a: {set: {}}}]
                """)).singleElement().satisfies(p -> {
                    assertThat(p.at()).isEqualTo("/input/schema/resource");
                    assertThat(p.message()).contains("not fetched");
                });
    }

    @Test
    void shouldRefuseAReferenceOutsideTheDocument() {
        assertThat(problems("""
                do:
                  - a:
                      input:
                        schema:
                          format: json
                          document: {properties: {x: {$ref: 'http://127.0.0.1:1/x.json'}}}
                      set: {}
                """)).extracting(Problem::at).containsExactly("/do/0/a/input/schema/document/properties/x/$ref");
    }

    @Test
    void shouldRefuseAFormatOtherThanJsonAndAnUnknownDialect() {
        assertThat(problems("""
                input: {schema: {format: avro, document: {type: record}}}
                output: {schema: {format: json, document: {$schema: 'http://127.0.0.1:1/meta', type: object}}}
                do: [{a: {set: {}}}]
                """)).extracting(Problem::at).containsExactly("/input/schema/format", "/output/schema/document/$schema");
    }

    @Test
    void shouldAcceptSoundSchemasWithInternalReferencesAndAnOlderDialect() throws Exception {
        Definition definition = Definitions.compile(HEAD + """
                input:
                  schema:
                    format: json
                    document:
                      $defs: {id: {type: string, minLength: 1}}
                      type: object
                      required: [order]
                      properties: {order: {type: object, required: [id], properties: {id: {$ref: '#/$defs/id'}}}}
                output:
                  schema: {format: json, document: {$schema: 'http://json-schema.org/draft-07/schema#', type: object}}
                do: [{a: {set: {}}}]
                """);
        assertThat(definition.inputViolation(JSON.readTree("{\"order\":{\"id\":\"o-1\"}}"))).isEmpty();
        assertThat(definition.inputViolation(JSON.readTree("{\"order\":{\"id\":\"\"}}"))).hasValueSatisfying(
                v -> assertThat(v).startsWith("/order/id: "));
        assertThat(definition.inputViolation(JSON.readTree("{}"))).hasValueSatisfying(
                v -> assertThat(v).startsWith("/: ").contains("order"));
    }

    @Test
    void shouldFindNoViolationWhereThereIsNoSchema() throws Exception {
        Definition definition = Definitions.compile(HEAD + "do: [{a: {set: {}}}]");
        assertThat(definition.inputViolation(JSON.readTree("[1]"))).isEmpty();
    }
}
