package io.runstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

class ApiOperationsTest {

    private final ApiOperations operations = ApiOperations.read(new ClassPathResource("static/openapi.yaml"));

    @Test
    void shouldGiveEachPathTheMethodsOfTheOpenApiDocumentWithHeadWhereGetIs() {
        assertThat(operations.at(PathContainer.parsePath("/v1/executions/abc")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(operations.at(PathContainer.parsePath("/v1/executions")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST);
        assertThat(operations.at(PathContainer.parsePath("/v1/workflows/demo")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT);
        assertThat(operations.at(PathContainer.parsePath("/v1/executions/abc/redrive")))
                .containsExactly(HttpMethod.POST);
        assertThat(operations.at(PathContainer.parsePath("/v1/executions/abc/signals")))
                .containsExactly(HttpMethod.POST);
        assertThat(operations.at(PathContainer.parsePath("/v1/executions/abc/events")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(operations.at(PathContainer.parsePath("/v1/secrets")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(operations.at(PathContainer.parsePath("/v1/secrets/api-token")))
                .containsExactlyInAnyOrder(HttpMethod.PUT, HttpMethod.DELETE);
    }

    @Test
    void shouldJoinTheMethodsOfEveryPathThatMatches() {
        // "start" is also an execution id to GET /workflows/v1/execution/{executionId}
        assertThat(operations.at(PathContainer.parsePath("/workflows/v1/execution/start")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST);
    }

    @Test
    void shouldServeTheConsoleAndTheDocumentForReadingAndNothingElse() {
        assertThat(operations.at(PathContainer.parsePath("/console/js/app.js")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(operations.at(PathContainer.parsePath("/openapi.yaml")))
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(operations.at(PathContainer.parsePath("/admin"))).isEmpty();
        assertThat(operations.at(PathContainer.parsePath("/v1/executions/abc/history/more"))).isEmpty();
    }
}
