package io.runstream.ingress.web;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes JSON with object keys sorted, so that two equal documents give the same text. */
@Component
class JsonCanonicalizer {

    private final JsonMapper sorted = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    String canonical(JsonNode node) {
        return sorted.writeValueAsString(sorted.convertValue(node, Object.class));
    }
}
