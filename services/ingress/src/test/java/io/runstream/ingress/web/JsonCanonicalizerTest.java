package io.runstream.ingress.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

class JsonCanonicalizerTest {

    private final JsonCanonicalizer canonicalizer = new JsonCanonicalizer();

    /**
     * How inputs were made canonical before: the tree copied into maps and lists, written with map entries sorted. The
     * requests recorded so far hold that text, and a replay of one of them must give the same.
     */
    private static final JsonMapper BEFORE = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private static final List<String> DOCUMENTS = List.of(
            "{}",
            "{\"b\":1,\"a\":2,\"C\":3,\"_\":4,\"aa\":5,\"a1\":6,\"\":7}",
            "{\"z\":{\"y\":[{\"d\":1,\"c\":[3,2,1]},{\"b\":null,\"a\":true}],\"x\":false},\"w\":[]}",
            "{\"i\":1,\"neg\":-7,\"long\":9007199254740993,\"big\":123456789012345678901234567890,"
                    + "\"d\":1.0,\"e\":1e10,\"small\":1.5e-7,\"z\":-0.0,\"dec\":12345678901234567890.123,\"f\":0.1}",
            "{\"s\":\"é한\uD83D\uDE00\",\"esc\":\"\\u0000\\n\\t\\\"\\\\/\\u2028\",\"ключ\":\"значение\",\"é\":\"e\"}",
            "{\"deep\":{\"deep\":{\"deep\":{\"deep\":{\"b\":[[[{\"y\":1,\"x\":2}]]],\"a\":\"\"}}}}}");

    @Test
    void shouldWriteEveryInputAsTheCopyInMapsDid() {
        for (JsonMapper reader : List.of(JsonMapper.builder().build(), JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build())) {
            for (String document : DOCUMENTS) {
                JsonNode node = reader.readTree(document);
                String before = BEFORE.writeValueAsString(BEFORE.convertValue(node, Object.class));

                assertThat(canonicalizer.canonical(node)).as(document).isEqualTo(before);
            }
        }
    }

    @Test
    void shouldSortKeysAtEveryDepth() {
        JsonNode node = JsonMapper.builder().build().readTree("{\"b\":{\"d\":1,\"c\":[{\"f\":1,\"e\":2}]},\"a\":0}");

        assertThat(canonicalizer.canonical(node)).isEqualTo("{\"a\":0,\"b\":{\"c\":[{\"e\":2,\"f\":1}],\"d\":1}}");
    }
}
