package io.runstream.ingress.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Counts starts as {@code runstream.starts}, by dialect (canonical, yandex, executions-v1) and result (the status
 * answered: 201 new, 200 replayed, each 4xx and 5xx). It runs before every other filter, so refusals of the key or
 * the body size are counted too: the count is taken as the response is committed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class StartMetrics implements WebFilter {

    private final MeterRegistry meters;

    StartMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String dialect = dialect(exchange.getRequest());
        if (dialect != null) {
            exchange.getResponse().beforeCommit(() -> {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                Counter.builder("runstream.starts").description("Start requests, by dialect and HTTP status")
                        .tag("dialect", dialect).tag("result", status == null ? "200" : Integer.toString(
                                status.value())).register(meters).increment();
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** The dialect of a start request, or null for anything else. */
    static String dialect(ServerHttpRequest request) {
        if (request.getMethod() != HttpMethod.POST) {
            return null;
        }
        String path = request.getPath().pathWithinApplication().value();
        if (path.startsWith("/v1/workflows/") && path.endsWith("/executions")
                && path.indexOf('/', "/v1/workflows/".length()) == path.length() - "/executions".length()) {
            return "canonical";
        }
        if (path.equals("/workflows/v1/execution/start")) {
            return "yandex";
        }
        return path.equals("/v1/executions") ? "executions-v1" : null;
    }
}
