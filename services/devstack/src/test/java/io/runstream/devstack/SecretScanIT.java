package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.runstream.testkit.HttpStub;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A secret's value is never written anywhere in clear. Workflows put secrets in a header, a query, a body and two
 * authentication policies, against a callee that checks the credentials and echoes what it gets; then every record of
 * every topic, every row of every table, every log line of the stack (the runner, WebClient and Reactor Netty at
 * DEBUG, as an operator would turn them up), every span exported and every service's metrics are searched for the
 * values: none holds one. Another tenant's workflow naming the same secrets gets its
 * own value, or the spec's authorization error for one it does not have.
 */
class SecretScanIT {

    private static final TestStack stack = TestStack.shared();
    private static final HttpStub callee = new HttpStub();
    private static final Logs logs = new Logs();

    private static final String TOKEN = "scan-token-" + UUID.randomUUID();
    private static final String PASSWORD = "scan-pass-" + UUID.randomUUID();
    private static final String PLAIN = "scan-plain-" + UUID.randomUUID();
    private static final String OTHER_TOKEN = "scan-other-" + UUID.randomUUID();
    /** What the basic credential is sent as: it holds the password, encoded. */
    private static final String BASIC = Base64.getEncoder().encodeToString(("scan-user:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

    private static final String WORKFLOW = """
            document: {dsl: '1.0.0', namespace: scan, name: secrets, version: '1.0.0'}
            use:
              secrets: [api, cred, plainkey]
              authentications:
                vault: {basic: {use: cred}}
            do:
              - echo:
                  call: http
                  export: {as: '{echo: .}'}
                  with:
                    method: post
                    endpoint: '${ "@base@/echo?key=" + $secrets.plainkey }'
                    headers: {X-Token: '${ $secrets.api.token }'}
                    body: {password: '${ $secrets.cred.password }', note: plain}
              - bearer:
                  call: http
                  with:
                    method: get
                    endpoint:
                      uri: '${ "@base@/auth/bearer?token=" + $secrets.api.token }'
                      authentication: {bearer: {use: api}}
              - basic:
                  call: http
                  export: {as: '$context + {basic: .}'}
                  with:
                    method: get
                    output: response
                    endpoint:
                      uri: '${ "@base@/auth/basic?user=" + $secrets.cred.username + "&password=" + $secrets.cred.password }'
                      authentication: {use: vault}
              - fails:
                  try:
                    - bad:
                        call: http
                        with: {method: get, endpoint: '${ "@base@/status/500?k=" + $secrets.plainkey }'}
                  catch:
                    as: err
                    do:
                      - keep: {set: {echo: '${ $context.echo }', basic: '${ $context.basic }', caught: '${ $err }'}}
            """;

    /** What an operator turns up to see a call's requests: the runner's, Spring's HTTP and Reactor Netty's logs. */
    private static final List<String> DEBUGGED = List.of("io.runstream", "org.springframework.web",
            "org.springframework.http", "reactor.netty");
    private static final Map<String, ch.qos.logback.classic.Level> levels = new LinkedHashMap<>();

    @BeforeAll
    static void listen() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        for (String name : DEBUGGED) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levels.put(name, logger.getLevel());
            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        }
    }

    @AfterAll
    static void stop() {
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        callee.close();
    }

    private static void putSecret(WebTestClient client, String name, String json) {
        client.put().uri("/v1/secrets/{name}", name).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\":" + json + "}").exchange().expectStatus().is2xxSuccessful();
    }

    private static void define(WebTestClient client, String id, String yaml) {
        client.put().uri("/v1/workflows/{id}", id).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml.replace("@base@", callee.baseUrl())).exchange().expectStatus().isCreated();
    }

    /** Starts a run in a sampled trace, so every span of it, its calls' included, is exported. */
    private static String start(WebTestClient client, String id) {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        return (String) client.post().uri("/v1/workflows/{id}/executions", id)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{}}").exchange().expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("executionId");
    }

    private static Map<?, ?> awaitEnd(WebTestClient client, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/v1/executions/{id}", id)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo(status));
        return client.get().uri("/v1/executions/{id}", id).exchange().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    @Test
    void shouldNeverWriteASecretsValueAnywhereAndKeepEachTenantsOwn() throws Exception {
        WebTestClient client = stack.client();
        WebTestClient other = stack.anonymous().mutate().defaultHeader("X-API-Key", TestStack.OTHER_TENANT_KEY)
                .build();
        putSecret(client, "api", "{\"token\":\"" + TOKEN + "\"}");
        putSecret(client, "cred", "{\"username\":\"scan-user\",\"password\":\"" + PASSWORD + "\"}");
        putSecret(client, "plainkey", "\"" + PLAIN + "\"");
        putSecret(other, "api", "{\"token\":\"" + OTHER_TOKEN + "\"}");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        define(client, "scan-" + suffix, WORKFLOW);

        String id = start(client, "scan-" + suffix);
        Map<?, ?> view = awaitEnd(client, id, "SUCCEEDED");

        // the callee got every value: both credentials checked out, and the echo carried the rest
        assertThat(callee.received("/echo")).singleElement().satisfies(r -> {
            assertThat(r.headers()).containsEntry("x-token", TOKEN);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains(PASSWORD);
        });
        assertThat(callee.calls("/auth/bearer")).isEqualTo(1);
        assertThat(callee.calls("/auth/basic")).isEqualTo(1);
        // and the run's output shows each one masked
        String output = String.valueOf(view.get("output"));
        assertThat(output).contains("key=***", "token=***", "password=***", "Basic ***")
                .doesNotContain(TOKEN, PASSWORD, PLAIN, BASIC);

        // another tenant's run of the same secrets' names: the authorization error for the one it does not have,
        // and its own token for the one it has (which this callee refuses, as it expects none)
        define(other, "scan-" + suffix, WORKFLOW);
        Map<?, ?> otherView = awaitEnd(other, start(other, "scan-" + suffix), "FAILED");
        assertThat(String.valueOf(otherView.get("error"))).contains("secret 'plainkey' is not set for this tenant",
                "403", "authorization").doesNotContain(TOKEN, PASSWORD, PLAIN);
        define(other, "scan-bearer-" + suffix, """
                document: {dsl: '1.0.0', namespace: scan, name: bearer, version: '1.0.0'}
                use: {secrets: [api]}
                do:
                  - bearer:
                      call: http
                      with:
                        method: get
                        endpoint:
                          uri: '@base@/auth/bearer'
                          authentication: {bearer: {use: api}}
                """);
        Map<?, ?> bearer = awaitEnd(other, start(other, "scan-bearer-" + suffix), "FAILED");
        assertThat(String.valueOf(bearer.get("error"))).contains("401");
        assertThat(callee.received("/auth/bearer").get(1).headers()).containsEntry("authorization",
                "Bearer " + OTHER_TOKEN);

        // the history of each run as the API and the console show it
        List<String> shown = new ArrayList<>();
        for (String execution : List.of(id)) {
            shown.add(new String(client.get().uri("/v1/executions/{id}/history", execution).exchange()
                    .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent(),
                    StandardCharsets.UTF_8));
        }
        Set<String> values = Set.of(TOKEN, PASSWORD, PLAIN, BASIC);
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(values.toArray(String[]::new)));

        Map<String, Integer> hits = new LinkedHashMap<>();
        int[] records = scanTopics(values, hits);
        int rows = scanTables(values, hits);
        List<String> lines = logs.lines();
        lines.forEach(line -> values.forEach(v -> {
            if (line.contains(v)) {
                hits.merge("log: " + line.substring(0, Math.min(200, line.length())), 1, Integer::sum);
            }
        }));
        // the calls' spans are exported, with their URLs as they may be shown: references masked
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stack.collector.received("/v1/traces"))
                .as("a span of the call with a secret in its query").anySatisfy(batch -> assertThat(
                        new String(batch.body(), StandardCharsets.ISO_8859_1)).contains("/echo?key=***")));
        List<HttpStub.Received> spans = stack.collector.received("/v1/traces");
        spans.forEach(batch -> values.forEach(v -> {
            if (contains(batch.body(), v)) {
                hits.merge("spans", 1, Integer::sum);
            }
        }));
        int scrapes = 0;
        for (int port : List.of(stack.settings.ingressPort(), stack.settings.projectionPort(),
                stack.settings.workerPort(), stack.settings.gatewayPort())) {
            String metrics = scrape(port);
            scrapes++;
            values.forEach(v -> {
                if (metrics.contains(v)) {
                    hits.merge("metrics of port " + port, 1, Integer::sum);
                }
            });
        }
        System.out.printf("secret-scan: %d topics, %d records, %d table rows, %d log lines, %d span batches, "
                + "%d metrics scrapes: %d hits%n", records[0], records[1], rows, lines.size(), spans.size(),
                scrapes, hits.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(records[1]).as("records read").isPositive();
        assertThat(hits).as("places holding a secret's value").isEmpty();
    }

    /** Every record of every topic, the broker's own included: key, value and headers. */
    private static int[] scanTopics(Set<String> values, Map<String, Integer> hits) throws Exception {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.infra.kafkaBootstrapServers());
        Set<String> topics;
        try (Admin admin = Admin.create(config)) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        }
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra.kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    for (String value : values) {
                        boolean found = contains(record.key(), value) || contains(record.value(), value);
                        for (Header header : record.headers()) {
                            found |= contains(header.value(), value);
                        }
                        if (found) {
                            hits.merge("topic " + record.topic(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return new int[] {topics.size(), count};
    }

    /** Every row of every table of every schema, as text. */
    private static int scanTables(Set<String> values, Map<String, Integer> hits) throws Exception {
        int rows = 0;
        try (Connection db = DriverManager.getConnection(stack.infra.jdbcUrl(), "postgres", "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("""
                    SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
                    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows += rs.getInt(1);
                }
                for (String value : values) {
                    try (PreparedStatement query = db.prepareStatement("SELECT count(*) FROM " + table
                            + " t WHERE strpos(t::text, ?) > 0")) {
                        query.setString(1, value);
                        try (ResultSet rs = query.executeQuery()) {
                            rs.next();
                            if (rs.getInt(1) > 0) {
                                hits.merge("table " + table, rs.getInt(1), Integer::sum);
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static String scrape(int port) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("scrape of port %d", port).isEqualTo(200);
        return response.body();
    }

    private static boolean contains(byte[] bytes, String value) {
        return bytes != null && new String(bytes, StandardCharsets.ISO_8859_1).contains(value);
    }

    /** Every line the stack logs while the test runs, with its stack trace. */
    private static final class Logs extends AppenderBase<ILoggingEvent> {

        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getFormattedMessage() + " " + event.getMDCPropertyMap();
            if (event.getThrowableProxy() != null) {
                line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            lines.add(line);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
