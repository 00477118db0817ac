package io.runstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Ports;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The edge on its own: routes by path, passes answers through, and speaks the API's error model for its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.config.name=gateway")
@AutoConfigureWebTestClient
class GatewayIT {

    private static final HttpStub projection = new HttpStub();

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry props) {
        int closed = Ports.free();
        props.add("runstream.gateway.ingress-uri", () -> "http://127.0.0.1:" + closed);
        props.add("runstream.gateway.projection-uri", projection::baseUrl);
    }

    @AfterAll
    static void stop() {
        projection.close();
    }

    @Autowired
    WebTestClient web;

    @Test
    void shouldPassAServicesAnswerThroughUnchanged() {
        web.get().uri("/v1/executions/42").header("X-API-Key", "k").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("no such path");
    }

    @Test
    void shouldAnswer503WhenAServiceCannotBeReached() {
        web.get().uri("/v1/workflows/demo").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE")
                .jsonPath("$.title").isEqualTo("Service Unavailable");
    }

    @Test
    void shouldRouteEveryExecutionCommandToTheIngress() {
        for (String command : new String[] {"stop", "pause", "resume", "redrive"}) {
            String path = "/v1/executions/" + UUID.randomUUID() + "/" + command;
            web.post().uri(path + "?waitSeconds=1").header("X-API-Key", "k").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(projection.calls(path)).as("%s reaches the ingress, not the projection", command).isZero();
        }
    }

    @Test
    void shouldAnswer404ForAPathNoRouteServes() {
        web.get().uri("/admin").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND")
                .jsonPath("$.message").isEqualTo("No API at GET /admin");
    }

    @Test
    void shouldServeTheConsoleWithoutAKeyUnderAStrictPolicy() {
        web.get().uri("/console").exchange()
                .expectStatus().isPermanentRedirect()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/console/"));
        web.get().uri("/console/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/html")
                .expectHeader().valueEquals("Content-Security-Policy", ConsoleRoutes.POLICY)
                .expectBody(String.class).value(page -> assertThat(page).contains("<script type=\"module\" src=\"js/app.js\">"));
        web.get().uri("/console/js/app.js").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
        web.get().uri("/console/js/nothing.js").exchange().expectStatus().isNotFound();
    }
}
