package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts of one workflow that wait for their result ({@code ?waitForTerminalSeconds=30}), each under a key of its
 * own, with the bench's order input.
 */
final class WaitingStarts {

    static final String INPUT = "{\"inputData\":{\"orderId\":\"o-12345\",\"amount\":1500,\"currency\":\"BRL\"}}";

    private final String url;
    private final String workflowId;
    private final String apiKey;
    private final String run = UUID.randomUUID().toString();
    private final AtomicLong sent = new AtomicLong();

    WaitingStarts(String url, String workflowId, String apiKey) {
        this.url = url;
        this.workflowId = workflowId;
        this.apiKey = apiKey;
    }

    HttpLoad.Request request(int n) {
        return new HttpLoad.Request(HttpMethod.POST, url + "/v1/workflows/" + workflowId
                + "/executions?waitForTerminalSeconds=30", Map.of("Content-Type", "application/json",
                "Idempotency-Key", run + "-" + sent.incrementAndGet(), "X-API-Key", apiKey), INPUT);
    }

    /** Counts in {@code running} the starts answered while their execution still ran (the start's own answer). */
    static HttpLoad.ResponseHook countRunning(AtomicInteger running) {
        return (n, sentAt, body) -> {
            if (body.contains("\"status\":\"pending\"")) {
                running.incrementAndGet();
            }
        };
    }
}
