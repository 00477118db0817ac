package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.HttpStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Endpoint authentication through the whole stack, as a user writes it: digest, and OAuth2 and OpenID Connect with
 * the client's secret from a secret, against a local authority and API that check them; many runs share one token;
 * a refused token request is the spec's authentication error, caught by {@code try}.
 */
class AuthenticationIT {

    private static final TestStack stack = TestStack.shared();
    private static final HttpStub callee = new HttpStub();

    @AfterAll
    static void stop() {
        callee.close();
    }

    private static final String WORKFLOW = """
            document: {dsl: '1.0.0', namespace: auth, name: kinds, version: '1.0.0'}
            use:
              secrets: [idp]
              authentications:
                sso:
                  oauth2:
                    authority: '@base@'
                    grant: client_credentials
                    client: {id: '${ $secrets.idp.id }', secret: '${ $secrets.idp.secret }'}
                    scopes: [api]
                discovered:
                  oidc:
                    authority: '@base@'
                    grant: client_credentials
                    client: {id: '${ $secrets.idp.id }', secret: '${ $secrets.idp.secret }', authentication: client_secret_basic}
                refused:
                  oauth2:
                    authority: '@base@/nowhere'
                    grant: client_credentials
                    client: {id: '${ $secrets.idp.id }', secret: '${ $secrets.idp.secret }'}
            do:
              - digest:
                  call: http
                  with:
                    method: get
                    endpoint:
                      uri: '@base@/auth/digest?user=alice&password=pw-1234'
                      authentication: {digest: {username: alice, password: pw-1234}}
              - oauth2:
                  call: http
                  output: {as: '{oauth2: $authorization}'}
                  with: {method: get, endpoint: {uri: '@base@/auth/oauth', authentication: {use: sso}}}
              - oidc:
                  call: http
                  export: {as: '$context + {oidc: .authenticated}'}
                  with: {method: get, endpoint: {uri: '@base@/auth/oauth', authentication: {use: discovered}}}
              - refusedToken:
                  try:
                    - call:
                        call: http
                        with: {method: get, endpoint: {uri: '@base@/auth/oauth', authentication: {use: refused}}}
                  catch:
                    errors: {with: {type: https://serverlessworkflow.io/spec/1.0.0/errors/authentication}}
                    as: err
                    do:
                      - done: {set: {caught: '${ $err.title + " " + ($err.status | tostring) }', authorization: '${ $context }'}}
            """;

    @Test
    void shouldAuthenticateEachKindAndShareOneTokenAmongRuns() {
        WebTestClient client = stack.client();
        client.put().uri("/v1/secrets/idp").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\":{\"id\":\"" + HttpStub.OAUTH_CLIENT_ID + "\",\"secret\":\""
                        + HttpStub.OAUTH_CLIENT_SECRET + "\"}}").exchange().expectStatus().is2xxSuccessful();
        String workflow = "auth-" + UUID.randomUUID().toString().substring(0, 8);
        client.put().uri("/v1/workflows/{id}", workflow).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(WORKFLOW.replace("@base@", callee.baseUrl())).exchange().expectStatus().isCreated();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add((String) client.post().uri("/v1/workflows/{id}/executions", workflow)
                    .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"inputData\":{}}").exchange().expectStatus().isCreated().expectBody(Map.class)
                    .returnResult().getResponseBody().get("executionId"));
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/v1/executions/{id}", id)
                    .exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.status").isEqualTo("SUCCEEDED")
                    .jsonPath("$.output.caught").isEqualTo("Authentication failed 404")
                    .jsonPath("$.output.authorization.oidc").isEqualTo(true));
        }
        assertThat(callee.calls("/auth/digest")).as("a challenge and an answer per run").isEqualTo(10);
        assertThat(callee.calls("/auth/oauth")).as("two authenticated calls per run").isEqualTo(10);
        // one token for the oauth2 policy, one for the oidc one, shared by the five runs
        assertThat(callee.calls(HttpStub.OAUTH_TOKEN_PATH)).isEqualTo(2);
        assertThat(callee.calls("/nowhere" + HttpStub.OAUTH_TOKEN_PATH)).as("refused, so never cached")
                .isBetween(1, 5);
        assertThat(callee.calls("/.well-known/openid-configuration")).isEqualTo(1);
        System.out.printf("authentication: %d runs, %d digest requests, %d token requests, %d refused token "
                + "requests, %d authenticated calls%n", ids.size(), callee.calls("/auth/digest"),
                callee.calls(HttpStub.OAUTH_TOKEN_PATH), callee.calls("/nowhere" + HttpStub.OAUTH_TOKEN_PATH),
                callee.calls("/auth/oauth"));
    }
}
