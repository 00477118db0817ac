package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runstream.engine.EventRef;
import io.runstream.engine.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An open listen's stored form keeps the events it consumed, and progress stored before it named them still reads. */
class SubscriptionJsonTest {

    private static final EventRef PAID = new EventRef(EventRef.Direction.CONSUMED, "order.paid",
            "https://payments.example", "pay 7");

    @Test
    void shouldKeepTheEventsAListenConsumed() {
        Subscription open = new Subscription(3, 0, "/do/0/paid", Instant.parse("2026-12-04T10:00:00Z"), List.of(),
                Map.of(), List.of(0), JsonNodeFactory.instance.arrayNode(), List.of(PAID));

        Subscription read = SubscriptionJson.read(SubscriptionJson.write(List.of(open))).get(0);

        assertThat(read.events()).containsExactly(PAID);
        assertThat(read.keys()).containsExactly("https://payments.example pay 7");
    }

    @Test
    void shouldReadTheKeysOfProgressStoredBeforeEventsWereNamed() {
        String stored = """
                [{"seq":3,"fiber":0,"at":"/do/0/paid","openedAt":"2026-12-04T10:00:00Z","interests":[],
                  "met":[0],"consumed":[],"keys":["https://payments.example pay 7"]}]""";

        Subscription read = SubscriptionJson.read(stored).get(0);

        assertThat(read.events()).containsExactly(new EventRef(EventRef.Direction.CONSUMED, "",
                "https://payments.example", "pay 7"));
        assertThat(read.keys()).containsExactly("https://payments.example pay 7");
    }
}
