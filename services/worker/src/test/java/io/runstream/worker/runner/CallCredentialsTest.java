package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.testkit.HttpStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The credentials a runner makes when it sends a call, against a local callee and authority that check them: a
 * digest answer to the callee's challenge, and OAuth2 and OpenID Connect tokens requested once and shared by the
 * calls until shortly before they expire.
 */
class CallCredentialsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpStub stub = new HttpStub();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final WebClientHttpCaller http = new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(5),
            1 << 20);
    private final ActivityRunner runner = new ActivityRunner(http, 1 << 20,
            new SecretFill((tenant, name) -> Mono.empty(), null, SecretTokens.of(List.of())),
            new OAuthTokens(http, Duration.ofSeconds(5), now::get));

    @AfterEach
    void close() {
        stub.close();
    }

    /** A credential as the engine hands it to the runner: its kind and the hex of what it is made from. */
    private static String credential(String kind, String text) {
        return "rs" + kind + "_" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse call(String path, String authorization, String tenant) {
        return runner.perform(new HttpRequest("GET", stub.baseUrl() + path, Map.of("Authorization", authorization),
                null), tenant, "e1", "key-" + path, WAIT).block(WAIT);
    }

    private String oauth2(String secret, String expires) {
        return credential("oauth2", "{\"kind\":\"oauth2\",\"policy\":{\"authority\":\"" + stub.baseUrl() + "\","
                + "\"endpoints\":{\"token\":\"/oauth2/token?expires=" + expires + "\"},\"grant\":\"client_credentials\","
                + "\"client\":{\"id\":\"" + HttpStub.OAUTH_CLIENT_ID + "\",\"secret\":\"" + secret + "\"},"
                + "\"scopes\":[\"api\"]}}");
    }

    @Test
    void shouldAnswerTheCalleesDigestChallenge() {
        HttpResponse ok = call("/auth/digest?user=alice&password=s3cret-pw", credential("digest", "alice:s3cret-pw"),
                "acme");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(stub.calls("/auth/digest")).as("the challenge, then the answer").isEqualTo(2);
        assertThat(stub.idempotencyKeys("/auth/digest")).as("one call").containsOnly("key-/auth/digest?user=alice"
                + "&password=s3cret-pw");

        HttpResponse wrong = call("/auth/digest?user=alice&password=s3cret-pw", credential("digest", "alice:nope"),
                "acme");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void shouldRequestOneOAuth2TokenForManyCallsAndAnotherOnceItExpires() {
        String policy = oauth2(HttpStub.OAUTH_CLIENT_SECRET, "3600");
        for (int i = 0; i < 5; i++) {
            HttpResponse response = call("/auth/oauth", policy, "acme");
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as("the echoed token is masked")
                    .contains("\"echo\":\"Bearer ***\"");
        }
        assertThat(stub.calls("/oauth2/token")).as("one token request for five calls").isEqualTo(1);

        // shortly before it expires (30 s before, for an hour's token) it is requested again
        now.addAndGet(Duration.ofSeconds(3600 - 31).toMillis());
        assertThat(call("/auth/oauth", policy, "acme").status()).isEqualTo(200);
        assertThat(stub.calls("/oauth2/token")).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(2).toMillis());
        assertThat(call("/auth/oauth", policy, "acme").status()).isEqualTo(200);
        assertThat(stub.calls("/oauth2/token")).as("a new token after it expired").isEqualTo(2);

        // each tenant has its own
        assertThat(call("/auth/oauth", policy, "another").status()).isEqualTo(200);
        assertThat(stub.calls("/oauth2/token")).isEqualTo(3);
    }

    @Test
    void shouldFindTheTokenEndpointOfAnOpenIdConnectAuthority() {
        String policy = credential("oauth2", "{\"kind\":\"oidc\",\"policy\":{\"authority\":\"" + stub.baseUrl()
                + "\",\"grant\":\"client_credentials\",\"client\":{\"id\":\"" + HttpStub.OAUTH_CLIENT_ID
                + "\",\"secret\":\"" + HttpStub.OAUTH_CLIENT_SECRET + "\",\"authentication\":\"client_secret_basic\"}}}");
        assertThat(call("/auth/oauth", policy, "acme").status()).isEqualTo(200);
        assertThat(stub.calls("/.well-known/openid-configuration")).isEqualTo(1);
        assertThat(stub.calls("/oauth2/token")).isEqualTo(1);
    }

    @Test
    void shouldFailWithTheAuthoritysStatusWhenItRefusesAndAskAgainAfterTheApiRefusesTheToken() {
        HttpResponse refused = call("/auth/oauth", oauth2("wrong-secret", "3600"), "acme");
        assertThat(refused.failure()).isEqualTo(HttpResponse.Failure.AUTHENTICATION);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.message()).contains("token request to " + stub.baseUrl() + "/oauth2/token")
                .contains("answered 401").doesNotContain("wrong-secret");
        assertThat(stub.calls("/auth/oauth")).as("the call was not sent").isZero();

        // a token the API refuses is forgotten: the next call asks for a new one
        String policy = oauth2(HttpStub.OAUTH_CLIENT_SECRET, "3600");
        assertThat(call("/auth/oauth", policy, "acme").status()).isEqualTo(200);
        assertThat(call("/status/401", policy, "acme").status()).isEqualTo(401);
        assertThat(call("/auth/oauth", policy, "acme").status()).isEqualTo(200);
        assertThat(stub.calls("/oauth2/token")).as("the refused one, the first, and one after the 401")
                .isEqualTo(3);
    }
}
