package io.runstream.api.auth;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Hands handlers the {@link Tenant} that the API-key filter resolved. */
final class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Tenant.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        Tenant tenant = exchange.getAttribute(Tenant.ATTRIBUTE);
        return tenant != null ? Mono.just(tenant)
                : Mono.error(new UnauthenticatedException("The request was not authenticated"));
    }
}
