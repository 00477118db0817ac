package io.runstream.api.auth;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates every API request by its key, sent as {@code X-API-Key} or {@code Authorization: Bearer}, and
 * records its tenant and the key's name on the exchange. Health and info stay open for probes.
 */
final class ApiKeyWebFilter implements WebFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;

    ApiKeyWebFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        // the management endpoints exposed (health, info, prometheus) hold no tenant's data
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/info")
                || path.equals("/actuator/prometheus")) {
            return chain.filter(exchange);
        }
        String presented = presentedKey(exchange.getRequest().getHeaders());
        if (presented == null) {
            return Mono.error(new UnauthenticatedException(
                    "An API key is required: send it as X-API-Key or Authorization: Bearer"));
        }
        return keys.keyOf(presented)
                .map(key -> {
                    exchange.getAttributes().put(Tenant.ATTRIBUTE, new Tenant(key.tenant()));
                    exchange.getAttributes().put(ApiKeyName.ATTRIBUTE, new ApiKeyName(key.name()));
                    return chain.filter(exchange);
                })
                .orElseGet(() -> Mono.error(new UnauthenticatedException("The API key is not valid")));
    }

    private static String presentedKey(HttpHeaders headers) {
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
