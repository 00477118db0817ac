package io.runstream.ingress.web;

import io.runstream.ingress.config.IngressProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Rejects a declared oversized body before reading it; undeclared ones are capped by the codec limit. */
@Component
class BodySizeLimitFilter implements WebFilter {

    private final long limit;

    BodySizeLimitFilter(IngressProperties properties) {
        this.limit = properties.maxBodySize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getHeaders().getContentLength() > limit) {
            return Mono.error(new PayloadTooLargeException(limit));
        }
        return chain.filter(exchange);
    }
}
