package io.runstream.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class ApiKeyWebFilterTest {

    private final ApiKeyWebFilter filter = new ApiKeyWebFilter(new ApiKeys(List.of(
            new AuthProperties.Key("ops", "acme", ApiKeys.sha256("s3cret")),
            new AuthProperties.Key("other", "globex", ApiKeys.sha256("other-key")))));
    private final AtomicReference<Tenant> seen = new AtomicReference<>();
    private final AtomicReference<ApiKeyName> seenKey = new AtomicReference<>();

    private void call(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, ex -> {
            seen.set(ex.getAttribute(Tenant.ATTRIBUTE));
            seenKey.set(ex.getAttribute(ApiKeyName.ATTRIBUTE));
            return Mono.empty();
        }).block();
    }

    @Test
    void shouldResolveTheTenantFromAnXApiKeyHeader() {
        call(MockServerHttpRequest.get("/v1/executions").header("X-API-Key", "s3cret"));

        assertThat(seen.get()).isEqualTo(new Tenant("acme"));
    }

    @Test
    void shouldRecordTheNameOfTheKeyForLimitsPerKey() {
        call(MockServerHttpRequest.get("/v1/executions").header("X-API-Key", "s3cret"));
        assertThat(seenKey.get()).isEqualTo(new ApiKeyName("ops"));

        call(MockServerHttpRequest.get("/v1/executions").header("Authorization", "Bearer other-key"));
        assertThat(seenKey.get()).isEqualTo(new ApiKeyName("other"));
    }

    @Test
    void shouldAcceptABearerToken() {
        call(MockServerHttpRequest.get("/v1/executions").header("Authorization", "Bearer other-key"));

        assertThat(seen.get()).isEqualTo(new Tenant("globex"));
    }

    @Test
    void shouldRefuseAMissingOrWrongKey() {
        assertThatThrownBy(() -> call(MockServerHttpRequest.get("/v1/executions")))
                .isInstanceOf(UnauthenticatedException.class).hasMessageContaining("X-API-Key");
        assertThatThrownBy(() -> call(MockServerHttpRequest.get("/v1/executions").header("X-API-Key", "guess")))
                .isInstanceOf(UnauthenticatedException.class).hasMessage("The API key is not valid");
        assertThatThrownBy(() -> call(MockServerHttpRequest.get("/v1/executions").header("Authorization", "Basic x")))
                .isInstanceOf(UnauthenticatedException.class);
        assertThat(seen.get()).isNull();
        assertThat(seenKey.get()).isNull();
    }

    @Test
    void shouldLeaveHealthAndInfoOpen() {
        call(MockServerHttpRequest.get("/actuator/health"));
        call(MockServerHttpRequest.get("/actuator/info"));

        assertThat(seen.get()).isNull();
    }

    @Test
    void shouldRefuseTwoKeysWithTheSameHash() {
        var key = new AuthProperties.Key("a", "t", ApiKeys.sha256("k"));
        assertThatThrownBy(() -> new ApiKeys(List.of(key, new AuthProperties.Key("b", "u", key.sha256()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldHashAsSha256sumDoes() {
        // printf %s abc | sha256sum
        assertThat(ApiKeys.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldMatchAHashConfiguredInUpperCase() {
        ApiKeys keys = new ApiKeys(List.of(new AuthProperties.Key("up", "acme",
                ApiKeys.sha256("s3cret").toUpperCase(java.util.Locale.ROOT))));

        assertThat(keys.keyOf("s3cret")).map(AuthProperties.Key::name).contains("up");
        assertThat(keys.keyOf("S3CRET")).isEmpty();
    }

    @Test
    void shouldResolveKeysFromManyThreadsAtOnce() throws Exception {
        ApiKeys keys = new ApiKeys(List.of(new AuthProperties.Key("ops", "acme", ApiKeys.sha256("s3cret")),
                new AuthProperties.Key("other", "globex", ApiKeys.sha256("other-key"))));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = pool.invokeAll(java.util.stream.IntStream.range(0, 4000)
                    .mapToObj(i -> (java.util.concurrent.Callable<Boolean>) () -> i % 2 == 0
                            ? keys.keyOf("s3cret").map(AuthProperties.Key::tenant).orElse("").equals("acme")
                            : keys.keyOf("other-key").map(AuthProperties.Key::tenant).orElse("").equals("globex"))
                    .toList());
            for (var result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
