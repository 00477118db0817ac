package io.runstream.ingress.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.ingress.domain.AcceptedRequest;
import io.runstream.ingress.domain.ExecutionId;
import io.runstream.ingress.events.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordSizesTest {

    /** Neither size needs the template nor the settings: nothing is sent. */
    private final KafkaExecutionCommands commands = new KafkaExecutionCommands(null, null);
    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    private static AcceptedRequest request(String key, String definition, String input, Map<String, String> metadata,
            Integer version) {
        return new AcceptedRequest(ExecutionId.derive("tenant-a", "demo", key, Duration.ofHours(24), AT), "tenant-a",
                "demo", version, definition, key, input, metadata, AT, null, null);
    }

    @Test
    void shouldBoundTheRecordSizeFromAboveForTextsOfEveryWidth() {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            metadata.put("key-" + i + "-ключ", "value-" + "ü".repeat(i));
        }
        List<AcceptedRequest> requests = List.of(
                request("k", "do: []", "{}", Map.of(), 1),
                request("k", null, "{}", Map.of(), null),
                request("ascii", "document: {dsl: '1.0.0'}\ndo:\n  - a:\n      set: {x: 1}\n".repeat(200),
                        "{\"x\":\"" + "a".repeat(10_000) + "\"}", Map.of("a", "b"), 7),
                request("two-bytes-é", "do: []", "{\"x\":\"" + "é".repeat(5_000) + "\"}", metadata, 2),
                request("three-bytes-한", "do: []", "{\"x\":\"" + "한€".repeat(5_000) + "\"}", metadata, 3),
                request("four-bytes-\uD83D\uDE00", "do: []", "{\"x\":\"" + "\uD83D\uDE00".repeat(5_000) + "\"}",
                        Map.of("\uD83D\uDE00", "\uD83D\uDE00"), Integer.MAX_VALUE),
                request("controls", "do: []", "{\"x\":\"\\u0000\\n\\t\"}", Map.of("", ""), 0));

        for (AcceptedRequest request : requests) {
            long exact = commands.recordSize(request);
            long bound = commands.recordSizeBound(request);
            assertThat(bound).as(request.idempotencyKey()).isGreaterThanOrEqualTo(exact);
            assertThat(bound).as("within three bytes a char of the exact size: " + request.idempotencyKey())
                    .isLessThanOrEqualTo(3 * exact + 1_000);
        }
    }

    @Test
    void shouldCountTheSameExactSizeForTheSameRequest() {
        AcceptedRequest request = request("k", "do: []", "{\"x\":\"é\"}", Map.of("m", "v"), 1);
        long exact = commands.recordSize(request);

        assertThat(commands.recordSize(request)).isEqualTo(exact);
        assertThat(exact).as("larger than the overhead").isGreaterThan(RecordSizes.OVERHEAD + 36 + 8);
    }

    @Test
    void shouldBoundASignalsRecordSizeFromAbove() {
        KafkaSignalLog signals = new KafkaSignalLog(null, null);
        for (String data : List.of("", "{\"ok\":true}", "é".repeat(3_000), "한".repeat(3_000),
                "\uD83D\uDE00".repeat(3_000))) {
            Signal signal = new Signal(UUID.fromString("742b1647-2c15-3a33-9176-b6f5e69baaf6"), "tenant-a",
                    "{\"specversion\":\"1.0\",\"data\":\"" + data + "\"}", AT);

            assertThat(signals.recordSizeBound(signal)).as(data).isGreaterThanOrEqualTo(signals.recordSize(signal));
        }
    }
}
