package io.runstream.ingress.web;

import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes JSON with object keys sorted, so that two equal documents give the same text. The tree is written as it is,
 * its objects' properties in order: no copy of it is made.
 */
@Component
class JsonCanonicalizer {

    private final JsonMapper sorted = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    String canonical(JsonNode node) {
        return sorted.writeValueAsString(node);
    }
}
