package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.KafkaCluster;
import io.runstream.testkit.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack (ingress, worker, projection, gateway) on a 3-node Kafka cluster, with clients starting executions
 * through the API: a node killed and started again, and the whole cluster killed and started again. While Kafka is
 * away a start that was recorded answers 503 {@code PUBLISH_DEFERRED} and runs later, a command answers 503 with
 * Retry-After, and readiness names Kafka; afterwards every accepted execution has ended once, its call made once.
 */
class ClusterOutageIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("runstream.fault.outage", "PT10S"));
    private static final int EXECUTIONS = Integer.getInteger("runstream.fault.executions", 100);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaCluster cluster;
    private static DevStack stack;
    private static DevStackSettings settings;
    private static String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startStack() throws Exception {
        cluster = KafkaCluster.start(Files.createTempDirectory("runstream-cluster-"), 3, 0);
        Infrastructure infra = Infrastructure.shared().onKafka(cluster, "cluster_outage");
        // 3 nodes: the services' consumers keep Kafka's fetch wait, as in a deployment, where a moved leader's
        // partition is read only once a fetch waiting at its new broker returns
        settings = new DevStackSettings(Files.createTempDirectory("cluster-stack-"), 0, 0, 0, Ports.free(),
                Ports.free(), Ports.free(), Ports.free(), 3);
        stack = DevStack.runServices(infra, settings, null);
        // stopped when the JVM exits, as the shared test stack is: closing a stack's web servers while another stack
        // runs in this JVM disposes the Reactor Netty resources they share, and the other's servers stop answering
        Infrastructure.closeBeforeShared(() -> {
            stack.close();
            cluster.close();
        });
        baseUrl = "http://127.0.0.1:" + settings.gatewayPort();
    }


    @Test
    void shouldGiveEveryTopicThreeCopiesAndWritesTwoToBeAcknowledged() throws Exception {
        try (var admin = cluster.admin()) {
            List<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions()
                    .listInternal(true)).names().get().stream()
                    .filter(t -> t.startsWith("runstream") || t.equals("__consumer_offsets")
                            || t.equals("__transaction_state"))
                    .sorted().toList();
            assertThat(topics).as("the services' topics, Kafka Streams' and the broker's own")
                    .contains("runstream.executions.commands", "runstream.executions.status", "__consumer_offsets",
                            "__transaction_state")
                    .anyMatch(t -> t.endsWith("-changelog"));
            for (String topic : topics) {
                assertThat(cluster.replication(topic)).as("replicas and min.insync.replicas of %s", topic)
                        .containsExactly(3, 2);
            }
        }
    }

    @Test
    void shouldLoseNothingAndAnswerNoStartWith503WhenOneNodeIsKilled() throws Exception {
        AtomicInteger killed = new AtomicInteger();
        ApiLoad.Figures figures = ApiLoad.underLoad(baseUrl, EXECUTIONS, servicePorts(), () -> {
            killed.set(cluster.leaderOfMost("runstream.executions.status"));
            cluster.kill(killed.get());
            try {
                ApiLoad.pause(OUTAGE);
            } finally {
                cluster.restart(killed.get());
            }
        });
        figures.print("broker-kill-api", "node " + killed.get() + " down " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
        assertThat(figures.refused()).as("one node down of 3 refuses nothing").isZero();
    }

    @Test
    void shouldDeferStartsAndRefuseCommandsWhileTheClusterIsDownThenRunEverything() throws Exception {
        String waiting = startWaitingExecution();
        ApiLoad.Figures figures = ApiLoad.underLoad(baseUrl, EXECUTIONS, servicePorts(), () -> {
            Instant down = Instant.now();
            cluster.killAll();
            try {
                refuseWhileDown(waiting, down);
            } finally {
                cluster.startAll();
            }
        });
        figures.print("cluster-stop-api", "all 3 nodes down " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
        assertThat(figures.refusals()).as("starts refused while the cluster was down were recorded first")
                .containsKey("503 PUBLISH_DEFERRED");
        // the command refused is taken once Kafka is back
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(post("/v1/executions/" + waiting + "/stop?waitSeconds=10", "{}").statusCode())
                        .isIn(200, 202, 409));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(JSON.readTree(
                get("/v1/executions/" + waiting).body()).path("status").asText()).isEqualTo("CANCELLED"));
    }

    /** While the cluster is down: readiness names Kafka, and a command is refused with Retry-After. */
    private void refuseWhileDown(String waiting, Instant down) throws Exception {
        for (int port : servicePorts()) {
            ApiLoad.assertNotReady(port, "kafka");
        }
        HttpResponse<String> stop = post("/v1/executions/" + waiting + "/stop", "{}");
        assertThat(stop.statusCode()).as("a command while Kafka is away: %s", stop.body()).isEqualTo(503);
        assertThat(stop.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(stop.body()).get("code").asText()).isEqualTo("PUBLISH_FAILED");
        Duration left = OUTAGE.minus(Duration.between(down, Instant.now()));
        if (!left.isNegative()) {
            ApiLoad.pause(left);
        }
    }

    private String startWaitingExecution() throws Exception {
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/workflows/long-wait"))
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString("""
                        document: {dsl: "1.0.0", namespace: faults, name: long-wait, version: "0.1.0"}
                        do:
                          - nap:
                              wait: PT1H
                        """)));
        assertThat(put.statusCode()).isIn(200, 201);
        HttpResponse<String> start = post("/v1/workflows/long-wait/executions", "{\"inputData\":{}}");
        assertThat(start.statusCode()).isEqualTo(201);
        String id = JSON.readTree(start.body()).get("executionId").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(JSON.readTree(
                get("/v1/executions/" + id).body()).path("status").asText()).isEqualTo("RUNNING"));
        return id;
    }

    private static List<Integer> servicePorts() {
        return List.of(settings.ingressPort(), settings.workerPort(), settings.projectionPort());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .timeout(Duration.ofSeconds(40)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("X-API-Key", TestStack.KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

}
