package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.testkit.Infrastructure;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The ingress with structured logging turned on by its one property, and chatty web and database logging: every
 * line is a JSON document, and no API key or database password ever appears in the log, from start-up on.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=ingress", "logging.structured.format.console=ecs",
                "logging.config=classpath:logback-structured-test.xml",
                "logging.level.org.springframework.web=DEBUG", "logging.level.org.springframework.jdbc=DEBUG",
                "logging.level.com.zaxxer.hikari=DEBUG", "spring.datasource.password=" + LoggingIT.PASSWORD})
@AutoConfigureWebTestClient(timeout = "30s")
class LoggingIT {

    static final String PASSWORD = "pg-secret-7d41";
    private static final String WRONG_KEY = "rs_wrong_key_5e3a";
    private static final Infrastructure infra = Infrastructure.shared();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties("ingress").forEach((k, v) -> registry.add(k, () -> v));
    }

    @Autowired
    WebTestClient web;

    @Test
    void shouldLogJsonLinesAndNeverAKeyOrAPassword(CapturedOutput output) {
        web.put().uri("/v1/workflows/logged").header("X-API-Key", "rs_dev_default_key")
                .contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue("document: {dsl: '1.0.0', namespace: t, name: logged, version: '0.1.0'}\n"
                        + "do: [{mark: {set: {a: 1}}}]\n")
                .exchange().expectStatus().is2xxSuccessful();
        web.post().uri("/v1/workflows/logged/executions").header("Authorization", "Bearer rs_dev_other_key")
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{}}").exchange().expectStatus().isNotFound();
        web.post().uri("/v1/workflows/logged/executions").header("X-API-Key", WRONG_KEY)
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":{}}").exchange().expectStatus().isUnauthorized();

        String log = output.getAll();
        var lines = Arrays.stream(log.split("\n")).filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("the start-up and the requests were logged").hasSizeGreaterThan(20);
        assertThat(lines).filteredOn(l -> l.startsWith("{\"@timestamp\"") && l.contains("\"log\":{\"level\""))
                .as("ECS JSON lines").hasSizeGreaterThan(20);
        assertThat(log).doesNotContain("rs_dev_default_key", "rs_dev_other_key", WRONG_KEY, PASSWORD);
    }
}
