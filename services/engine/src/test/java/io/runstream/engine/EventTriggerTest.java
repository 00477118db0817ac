package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTriggerTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventTrigger trigger(String schedule) throws Exception {
        return EventTrigger.of((Schedule.On) Schedule.of(YAML.readTree("schedule: " + schedule + "\ndo: []"))
                .orElseThrow());
    }

    private static JsonNode event(String type, String source, String data) throws Exception {
        return JSON.readTree("{\"specversion\":\"1.0\",\"id\":\"e1\",\"type\":\"" + type + "\",\"source\":\"" + source
                + "\",\"data\":" + data + "}");
    }

    @Test
    void shouldMatchFiltersByValuePatternAndExpressionOnTheEventAlone() throws Exception {
        EventTrigger trigger = trigger("""
                {on: {any: [{with: {type: order.placed, source: '^/shop/.*$'}},
                            {with: {type: '^refund\\..*', data: '${ .amount > 100 }'}}]}}""");
        assertThat(trigger.filters()).isEqualTo(2);
        assertThat(trigger.exactType(0)).isEqualTo("order.placed");
        assertThat(trigger.exactType(1)).isNull();
        assertThat(trigger.needsAll()).isFalse();
        assertThat(trigger.meets(0, event("order.placed", "/shop/eu", "{}"))).isEmpty();
        assertThat(trigger.meets(0, event("order.placed", "/warehouse", "{}"))).isNull();
        assertThat(trigger.meets(1, event("refund.asked", "/x", "{\"amount\":150}"))).isEmpty();
        assertThat(trigger.meets(1, event("refund.asked", "/x", "{\"amount\":50}"))).isNull();
        // an expression that fails on the event: it does not meet the filter
        assertThat(trigger.meets(1, event("refund.asked", "/x", "\"text\""))).isNull();
    }

    @Test
    void shouldGiveCorrelationValuesAndReadTheInputAsTheScheduleSays() throws Exception {
        EventTrigger trigger = trigger("""
                {on: {all: [{with: {type: a}, correlate: {order: {from: .data.order}}},
                            {with: {type: b}, correlate: {order: {from: .data.order}}}]}, read: envelope}""");
        assertThat(trigger.needsAll()).isTrue();
        assertThat(trigger.meets(1, event("b", "/s", "{\"order\":7}")).get("order").asInt()).isEqualTo(7);
        JsonNode a = event("a", "/s", "{\"order\":7}");
        assertThat(trigger.input(List.of(a)).get(0).path("type").asText()).isEqualTo("a");
        assertThat(trigger("{on: {one: {with: {type: a}}}}").input(List.of(a)).toString())
                .isEqualTo("[{\"order\":7}]");
        assertThat(trigger("{on: {any: []}}").filters()).isEqualTo(1);
        assertThat(trigger("{on: {any: []}}").meets(0, a)).isEmpty();
    }
}
