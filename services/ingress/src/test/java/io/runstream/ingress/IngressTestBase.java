package io.runstream.ingress;

import io.runstream.testkit.Infrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The ingress on the JVM's shared real Kafka, PostgreSQL and registry, with a fast sweeper; one Spring context
 * serves every IT that extends this.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=ingress", "runstream.ingress.sweeper.interval=200ms",
                "runstream.ingress.sweeper.min-age=3s", "runstream.ingress.publish-timeout=2s",
                // a key for secrets at rest, as an operator configures one (32 bytes, base64)
                "runstream.ingress.secrets.keys=it1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
@AutoConfigureWebTestClient(timeout = "30s")
abstract class IngressTestBase {

    static final Infrastructure infra = Infrastructure.shared();
    /** No projection here: a start that waits for its view asks this one, which answers 503 until told otherwise. */
    static final StubProjection projection = new StubProjection();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        infra.springProperties("ingress").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("runstream.ingress.start-wait.projection-uri", projection::uri);
    }

    /** The development keys from ingress.yml. */
    static final String DEFAULT_KEY = "rs_dev_default_key";
    static final String OTHER_TENANT_KEY = "rs_dev_other_key";

    WebTestClient web;

    /** The raw client, without a key. */
    @Autowired
    WebTestClient anonymous;

    @BeforeEach
    void authenticate() {
        web = anonymous.mutate().defaultHeader("X-API-Key", DEFAULT_KEY).build();
    }

    @Autowired
    JdbcClient jdbc;
}
