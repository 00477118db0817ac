package io.runstream.api.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Hands handlers the {@link Tenant} and the {@link ApiKeyName} that the API-key filter resolved. */
final class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Tenant.class || parameter.getParameterType() == ApiKeyName.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        Object resolved = exchange.getAttribute(parameter.getParameterType() == Tenant.class ? Tenant.ATTRIBUTE
                : ApiKeyName.ATTRIBUTE);
        return resolved != null ? Mono.just(resolved)
                : Mono.error(new UnauthenticatedException("The request was not authenticated"));
    }
}
