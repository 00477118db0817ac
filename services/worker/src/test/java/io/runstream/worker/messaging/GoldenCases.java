package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.HttpResponse;
import io.runstream.schemas.internal.ActivityDispatched;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The executions whose stored state is kept in {@code src/test/resources/golden}: parked in a wait, in a retry delay,
 * inside a fork, and with a call in flight. {@link #main} wrote those files with the engine before the core was
 * rebuilt (issue 19); {@link GoldenRecordsTest} resumes them with today's. Run it again only to add a case, never to
 * refresh one: the point of the files is that they were written by an older release.
 */
final class GoldenCases {

    static final Path DIR = Path.of("src/test/resources/golden");
    static final HttpResponse OK = HttpResponse.of(200, Map.of("Content-Type", "application/json"),
            "{\"charged\":true}".getBytes(StandardCharsets.UTF_8));
    static final HttpResponse UNAVAILABLE = HttpResponse.of(503, Map.of(), new byte[0]);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String WAIT = """
            document: {dsl: "1.0.0", namespace: golden, name: wait, version: "0.1.0"}
            do:
              - pause: {wait: PT10S}
              - mark: {set: {waited: true}}
            """;
    static final String RETRY = """
            document: {dsl: "1.0.0", namespace: golden, name: retry, version: "0.1.0"}
            do:
              - charge:
                  try:
                    - call:
                        call: http
                        with: {method: post, endpoint: "http://127.0.0.1:9/charges", body: {amount: 5}}
                  catch:
                    errors: {with: {status: 503}}
                    retry:
                      delay: {seconds: 5}
                      limit: {attempt: {count: 3}}
              - done: {set: {charged: '${ .charged }'}}
            """;
    static final String FORK = """
            document: {dsl: "1.0.0", namespace: golden, name: fork, version: "0.1.0"}
            do:
              - both:
                  fork:
                    branches:
                      - pay:
                          call: http
                          with: {method: post, endpoint: "http://127.0.0.1:9/charges"}
                      - cool:
                          do:
                            - pause: {wait: PT5S}
                            - note: {set: {cooled: true}}
            """;
    static final String CALL = """
            document: {dsl: "1.0.0", namespace: golden, name: call, version: "0.1.0"}
            do:
              - charge:
                  call: http
                  with: {method: post, endpoint: "http://127.0.0.1:9/charges", body: {amount: '${ .amount }'}}
              - done: {set: {paid: '${ .charged }'}}
            """;

    private GoldenCases() {
    }

    public static void main(String[] args) throws Exception {
        try (TopologyHarness h = new TopologyHarness()) {
            h.commands.pipeInput("golden-wait", TopologyHarness.request("golden-wait", WAIT, "{}"));
            GoldenRecords.save(h, "golden-wait", JSON.readTree("{\"advance\":\"PT11S\"}"), DIR.resolve("wait.json"));
        }
        try (TopologyHarness h = new TopologyHarness()) {
            h.commands.pipeInput("golden-retry", TopologyHarness.request("golden-retry", RETRY, "{}"));
            h.runActivities(request -> UNAVAILABLE);
            GoldenRecords.save(h, "golden-retry", JSON.readTree("{\"advance\":\"PT6S\"}"), DIR.resolve("retry.json"));
        }
        try (TopologyHarness h = new TopologyHarness()) {
            h.commands.pipeInput("golden-fork", TopologyHarness.request("golden-fork", FORK, "{}"));
            GoldenRecords.save(h, "golden-fork", inFlight(h, "PT6S"), DIR.resolve("fork.json"));
        }
        try (TopologyHarness h = new TopologyHarness()) {
            h.commands.pipeInput("golden-call", TopologyHarness.request("golden-call", CALL, "{\"amount\":7}"));
            GoldenRecords.save(h, "golden-call", inFlight(h, "PT0S"), DIR.resolve("call.json"));
        }
    }

    /** What the resumed execution needs next: the result of the call in flight, then time. */
    private static JsonNode inFlight(TopologyHarness h, String advance) {
        ActivityDispatched d = h.dispatch.readValue();
        return JSON.createObjectNode().put("advance", advance).put("activity", d.getActivity())
                .put("dispatch", d.getDispatch());
    }

    static Duration advance(JsonNode next) {
        return Duration.parse(next.get("advance").asText());
    }
}
