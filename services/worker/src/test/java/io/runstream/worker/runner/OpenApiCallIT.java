package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.serde.AvroDeserializer;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 21, item 3: {@code call: openapi} on a real broker and registry, with topics of its own, against a local
 * server on 127.0.0.1 that serves an OpenAPI 3 JSON document, a Swagger 2 YAML document and the API they describe.
 * The runner reads each document once for many calls, sends the parameters where the operation puts them, and a
 * missing operation or parameter is a spec error in the workflow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"spring.config.name=worker",
        "spring.kafka.streams.application-id=openapi-call-it", "spring.kafka.consumer.group-id=openapi-call-it-runner"})
class OpenApiCallIT {

    private static final String PREFIX = "openapi-call-it.";
    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpStub stub = new HttpStub();
    private static final List<ExecutionStatusChanged> events = new CopyOnWriteArrayList<>();
    private static volatile boolean reading = true;
    private static Thread reader;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry props) throws Exception {
        infra.springProperties(null).forEach((k, v) -> props.add(k, () -> v));
        String stateDir = Files.createTempDirectory("openapi-call-it-state").toString();
        props.add("spring.kafka.streams.state-dir", () -> stateDir);
        for (String topic : List.of("commands", "stops", "control", "control-outcomes", "workflows", "status",
                "tasks", "dispatch", "cancels", "reports", "continuations", "dead-letter", "runner-dead-letter",
                "crashes", "events", "correlation", "deliveries", "signals", "schedules")) {
            props.add("runstream.worker.topics." + topic, () -> PREFIX + topic);
        }
    }

    @BeforeAll
    static void readStatus() {
        reader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    "bootstrap.servers", infra.kafkaBootstrapServers(), "group.id", "openapi-it-" + UUID.randomUUID(),
                    "auto.offset.reset", "earliest", "isolation.level", "read_committed",
                    "metadata.max.age.ms", "1000"),
                    new StringDeserializer(), new AvroDeserializer<>(registry, ExecutionStatusChanged.class))) {
                consumer.subscribe(List.of(PREFIX + "status"));
                while (reading) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> events.add(r.value()));
                }
            }
        });
        reader.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        reading = false;
        reader.join();
        stub.close();
    }

    /** Runs the tasks (YAML, {@code @base@} for the stub) with the input, and gives the run's last status event. */
    private static ExecutionStatusChanged run(String tasks, String input) throws Exception {
        String id = UUID.randomUUID().toString();
        String definition = """
                document: {dsl: "1.0.0", namespace: test, name: openapi, version: "0.1.0"}
                do:
                """ + tasks.replace("@base@", stub.baseUrl()).replace("@id@", id);
        var props = Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrapServers(), "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            producer.send(new ProducerRecord<>(PREFIX + "commands", id, ExecutionRequested.newBuilder()
                    .setExecutionId(id).setTenant("acme").setWorkflowId("openapi").setWorkflowVersion(1)
                    .setDefinition(definition).setInputJson(input).setRequestedAt(Instant.now()).build())).get();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(last(id).getStatus())
                .isIn(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED));
        return last(id);
    }

    private static ExecutionStatusChanged last(String id) {
        List<ExecutionStatusChanged> of = events.stream().filter(e -> e.getExecutionId().equals(id)).toList();
        assertThat(of).as("status events of %s", id).isNotEmpty();
        return of.get(of.size() - 1);
    }

    private static JsonNode output(ExecutionStatusChanged end) throws Exception {
        assertThat(end.getStatus()).as("%s", end.getError()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return JSON.readTree(end.getOutputJson());
    }

    @Test
    void shouldCallAnOperationOfAnOpenApi3JsonDocumentWithPathQueryHeaderAndBody() throws Exception {
        JsonNode output = output(run("""
                  - send:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/orders-openapi.json'
                        operationId: sendOrder
                        parameters:
                          page: 2
                          q: a b
                          X-Token: '${ .token }'
                          body: {amount: '${ .amount }', currency: EUR}
                        authentication:
                          bearer: {token: t0k}
                      export:
                        as: '${ {sent: .} }'
                  - order:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/orders-openapi.json'
                        operationId: getOrder
                        parameters:
                          orderId: s 1/2
                      output:
                        as: '${ $context + {order: .} }'
                """, "{\"token\": \"abc\", \"amount\": 12}"));

        assertThat(output).isEqualTo(JSON.readTree("""
                {"sent": {"method": "POST", "path": "/echo", "query": "page=2&q=a%20b", "contentType": "application/json",
                          "token": "abc", "body": {"amount": 12, "currency": "EUR"}},
                 "order": {"id": "s 1/2", "status": "shipped"}}"""));
        HttpStub.Received echo = stub.received("/echo").stream().filter(r -> "abc".equals(r.headers().get("x-token"))
                && r.headers().containsKey("authorization")).reduce((first, second) -> second).orElseThrow();
        assertThat(echo.headers()).containsEntry("authorization", "Bearer t0k")
                .containsEntry("content-type", "application/json").containsEntry("accept", "application/json")
                .containsKey("idempotency-key");
        assertThat(stub.calls("/documents/remote/order.json")).as("a $ref outside the document is not followed")
                .isZero();
    }

    @Test
    void shouldGiveTheResponseWithTheRequestTheRunnerBuiltItsCredentialHidden() throws Exception {
        JsonNode output = output(run("""
                  - send:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/orders-openapi.json'
                        operationId: sendOrder
                        parameters: {page: 2, q: a b, X-Token: abc, body: {amount: 1}}
                        authentication:
                          bearer: {token: t0k}
                        output: response
                """, "{}"));

        assertThat(output.path("statusCode").asInt()).isEqualTo(200);
        assertThat(output.path("request")).isEqualTo(JSON.readTree("""
                {"method": "post", "uri": "%s/echo?page=2&q=a%%20b",
                 "headers": {"X-Token": "abc", "Content-Type": "application/json", "Accept": "application/json",
                             "Authorization": "Bearer ***"}}""".formatted(stub.baseUrl())));
        assertThat(output.path("content").path("query").asText()).isEqualTo("page=2&q=a%20b");
        assertThat(output.path("content").path("token").asText()).isEqualTo("abc");
    }

    @Test
    void shouldCallAnOperationOfASwagger2YamlDocumentWithItsNamedBodyParameter() throws Exception {
        JsonNode output = output(run("""
                  - send:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/orders-swagger.yaml'
                        operationId: sendOrder
                        parameters:
                          X-Token: xyz
                          order: {amount: 3}
                """, "{}"));

        assertThat(output).isEqualTo(JSON.readTree("""
                {"method": "POST", "path": "/echo", "query": null, "contentType": "application/json",
                 "token": "xyz", "body": {"amount": 3}}"""));
    }

    @Test
    void shouldReadADocumentOnceForManyCalls() throws Exception {
        String document = "/documents/cached-" + UUID.randomUUID() + "/petstore.json";
        JsonNode output = output(run("""
                  - each:
                      for: {each: id, in: '${ [1, 2, 1, 2, 1] }'}
                      do:
                        - get:
                            call: openapi
                            with:
                              document:
                                endpoint: '@base@%s'
                              operationId: getPetById
                              parameters:
                                petId: '${ $id }'
                            export:
                              as: '${ {names: (($context.names // []) + [.name])} }'
                  - names:
                      set: '${ $context.names }'
                """.formatted(document), "{}"));

        assertThat(output).isEqualTo(JSON.readTree("[\"doggie\", \"kitty\", \"doggie\", \"kitty\", \"doggie\"]"));
        assertThat(stub.calls(document)).as("the document is read once for five calls").isEqualTo(1);
    }

    @Test
    void shouldRaiseAnOperationTheDocumentLacksAsAnErrorATryCatches() throws Exception {
        JsonNode output = output(run("""
                  - guarded:
                      try:
                        - remove:
                            call: openapi
                            with:
                              document:
                                endpoint: '@base@/documents/@id@/petstore.json'
                              operationId: deletePet
                              parameters: {petId: 1}
                      catch:
                        errors:
                          with: {type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration, status: 400}
                        as: e
                        do:
                          - keep:
                              set: '${ $e | {title, detail, instance} }'
                """, "{}"));

        assertThat(output.path("title").asText()).isEqualTo("Unknown OpenAPI operation");
        assertThat(output.path("detail").asText()).startsWith("the OpenAPI document " + stub.baseUrl()
                + "/documents/").endsWith("/petstore.json has no operation 'deletePet'");
        assertThat(output.path("instance").asText()).isEqualTo("/do/0/guarded/try/0/remove");
    }

    @Test
    void shouldFailARunThatLeavesOutARequiredParameterWithoutCallingTheApi() throws Exception {
        int before = stub.calls("/pets/findByStatus");

        ExecutionStatusChanged end = run("""
                  - find:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/petstore.json'
                        operationId: findPetsByStatus
                        parameters: {state: sold}
                """, "{}");

        assertThat(end.getStatus()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.getError().getMessage()).isEqualTo("Missing OpenAPI parameter: the operation "
                + "'findPetsByStatus' requires the query parameter 'status', which the call's parameters leave out "
                + "(status 400, type https://serverlessworkflow.io/spec/1.0.0/errors/validation, at /do/0/find)");
        assertThat(stub.calls("/pets/findByStatus")).isEqualTo(before);
    }

    @Test
    void shouldRaiseADocumentThatCannotBeFetchedAsACommunicationErrorWithItsStatus() throws Exception {
        ExecutionStatusChanged end = run("""
                  - find:
                      call: openapi
                      with:
                        document:
                          endpoint: '@base@/documents/@id@/missing.json'
                        operationId: findPetsByStatus
                """, "{}");

        assertThat(end.getStatus()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.getError().getMessage()).startsWith("OpenAPI document unavailable: GET " + stub.baseUrl())
                .contains("/missing.json answered 404 (status 404, type "
                        + "https://serverlessworkflow.io/spec/1.0.0/errors/communication");
    }
}
