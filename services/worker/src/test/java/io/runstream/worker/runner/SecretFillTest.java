package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.SecretReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The runner fills in the secrets a call names, from the call's tenant only and for references signed for its
 * execution, and masks in the response what it filled in.
 */
class SecretFillTest {

    private static final List<String> KEYS = List.of("k1:" + Base64.getEncoder().encodeToString(new byte[32]));
    private static final SecretCipher CIPHER = SecretCipher.of(KEYS);
    private static final SecretTokens TOKENS = SecretTokens.of(KEYS);
    private static final String TOKEN_VALUE = "tok-9f8e7d6c5b4a";
    private static final String PASSWORD = "pa ss\"word/1";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Map<String, SecretCipher.Sealed> kept = new LinkedHashMap<>();
    private final AtomicReference<HttpCaller.HttpCall> sent = new AtomicReference<>();

    SecretFillTest() {
        keep("acme", "api", "{\"token\":\"" + TOKEN_VALUE + "\"}");
        keep("acme", "cred", "{\"username\":\"alice\",\"password\":\"pa ss\\\"word/1\"}");
    }

    private void keep(String tenant, String name, String json) {
        kept.put(tenant + "/" + name, CIPHER.seal(tenant, name, json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A runner whose callee echoes the request's URI, headers and body back. */
    private ActivityRunner runner(List<String> keys) {
        HttpCaller echo = call -> {
            sent.set(call);
            String body = call.body() == null ? "" : new String(call.body(), StandardCharsets.UTF_8);
            return Mono.just(new HttpCaller.HttpResult(200, Map.of("X-Echo", String.valueOf(call.headers())),
                    (call.uri() + "\n" + call.headers() + "\n" + body).getBytes(StandardCharsets.UTF_8)));
        };
        SecretLookup lookup = (tenant, name) -> Mono.justOrEmpty(kept.get(tenant + "/" + name));
        return new ActivityRunner(echo, 1 << 20, new SecretFill(lookup, keys.isEmpty() ? null
                : SecretCipher.of(keys), SecretTokens.of(keys)), Duration.ofSeconds(5));
    }

    private static String ref(String executionId, String secret, String... path) {
        return TOKENS.token(executionId, new SecretReference(secret, List.of(path)));
    }

    @Test
    void shouldFillEachPlaceAndMaskTheEchoedValues() {
        String token = ref("e1", "api", "token");
        String password = ref("e1", "cred", "password");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Token", "Token " + token);
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "rsbasic_" + java.util.HexFormat.of().formatHex((ref("e1", "cred", "username")
                + ":" + password).getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = new HttpRequest("POST", "http://127.0.0.1/x?q=" + password, headers,
                ("{\"whole\":\"" + password + "\",\"within\":\"p=" + token + "\",\"cred\":\""
                        + ref("e1", "cred") + "\"}").getBytes(StandardCharsets.UTF_8));

        HttpResponse response = runner(KEYS).perform(request, "acme", "e1", "key", WAIT).block(WAIT);

        HttpCaller.HttpCall call = sent.get();
        assertThat(call.uri().getRawQuery()).isEqualTo("q=pa%20ss%22word%2F1");
        assertThat(call.headers()).containsEntry("X-Token", "Token " + TOKEN_VALUE)
                .containsEntry("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("{\"whole\":\"pa ss\\\"word/1\","
                + "\"within\":\"p=" + TOKEN_VALUE + "\",\"cred\":{\"username\":\"alice\",\"password\":"
                + "\"pa ss\\\"word/1\"}}");
        assertThat(call.shownUri()).as("what a span shows").isEqualTo("http://127.0.0.1/x?q=***");

        String echoed = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.failure()).isNull();
        assertThat(echoed).doesNotContain(TOKEN_VALUE, PASSWORD, "pa%20ss%22word%2F1", "pa ss\\\"word/1",
                Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .contains("***");
        assertThat(response.headers().get("X-Echo")).doesNotContain(TOKEN_VALUE).contains("***");
    }

    @Test
    void shouldSendAReferenceNotSignedForTheExecutionAsTheTextItIs() {
        String forged = ref("another-execution", "api", "token");
        HttpRequest request = new HttpRequest("GET", "http://127.0.0.1/x", Map.of("X-Token", forged), null);

        HttpResponse response = runner(KEYS).perform(request, "acme", "e1", "key", WAIT).block(WAIT);

        assertThat(response.status()).isEqualTo(200);
        assertThat(sent.get().headers()).containsEntry("X-Token", forged);
    }

    @Test
    void shouldFailWithTheSecretsNameWhenTheTenantHasNoneOfItOrNoSuchField() {
        HttpRequest another = new HttpRequest("GET", "http://127.0.0.1/x", Map.of("X-Token",
                ref("e1", "api", "token")), null);
        HttpResponse response = runner(KEYS).perform(another, "other-tenant", "e1", "key", WAIT).block(WAIT);
        assertThat(response.failure()).isEqualTo(HttpResponse.Failure.SECRET_UNAVAILABLE);
        assertThat(response.message()).isEqualTo("secret 'api' is not set for this tenant (PUT /v1/secrets/api)");
        assertThat(sent.get()).as("nothing was sent").isNull();

        HttpRequest field = new HttpRequest("GET", "http://127.0.0.1/x", Map.of("X-Token",
                ref("e1", "api", "nope")), null);
        response = runner(KEYS).perform(field, "acme", "e1", "key", WAIT).block(WAIT);
        assertThat(response.message()).isEqualTo("secret 'api' has no field 'nope'");

        HttpRequest whole = new HttpRequest("GET", "http://127.0.0.1/x", Map.of("X-Token",
                ref("e1", "cred")), null);
        response = runner(KEYS).perform(whole, "acme", "e1", "key", WAIT).block(WAIT);
        assertThat(response.message()).startsWith("secret 'cred' is an object").doesNotContain("alice");
        assertThat(sent.get()).isNull();
    }

    @Test
    void shouldSayThatNoKeyIsConfigured() {
        HttpRequest request = new HttpRequest("GET", "http://127.0.0.1/x", Map.of("X-Token",
                "rsref_" + java.util.HexFormat.of().formatHex("api".getBytes(StandardCharsets.UTF_8)) + "_"
                        + "0".repeat(32)), null);
        HttpResponse response = runner(List.of()).perform(request, "acme", "e1", "key", WAIT).block(WAIT);
        assertThat(response.failure()).isEqualTo(HttpResponse.Failure.SECRET_UNAVAILABLE);
        assertThat(response.message()).contains("runstream.worker.secrets.keys");
    }
}
