package io.runstream.gateway;

import io.runstream.api.dialect.ApiFailure;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets through only what the API has, before any route or metric sees it: a method the path does not have is 405
 * with an Allow header, a path the API does not have is 404, and a WebSocket upgrade is 400 (the API has none; live
 * updates are Server-Sent Events). The management endpoints under {@code /actuator} answer for themselves.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EdgeFilter implements WebFilter {

    private final ApiOperations operations;

    EdgeFilter(ApiOperations operations) {
        this.operations = operations;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        if (isWebSocket(request)) {
            return Mono.error(refusal(HttpStatus.BAD_REQUEST, "UPGRADE_NOT_SUPPORTED", "This API has no WebSocket"
                    + " endpoints; send plain HTTP requests (live updates are Server-Sent Events at"
                    + " /v1/executions/{id}/events)", new HttpHeaders()));
        }
        if (path.value().equals("/actuator") || path.value().startsWith("/actuator/")) {
            return chain.filter(exchange);
        }
        Set<HttpMethod> allowed = operations.at(path);
        if (allowed.isEmpty()) {
            return Mono.error(refusal(HttpStatus.NOT_FOUND, "NOT_FOUND", "No API at " + request.getMethod() + " "
                    + path.value(), new HttpHeaders()));
        }
        if (!allowed.contains(request.getMethod())) {
            String allow = allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.ALLOW, allow);
            return Mono.error(refusal(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "Method "
                    + request.getMethod() + " is not allowed at " + path.value() + "; allowed: " + allow, headers));
        }
        return chain.filter(exchange);
    }

    static boolean isWebSocket(ServerHttpRequest request) {
        return request.getHeaders().getValuesAsList(HttpHeaders.UPGRADE).stream()
                .anyMatch(protocol -> protocol.toLowerCase(Locale.ROOT).startsWith("websocket"));
    }

    private static Refusal refusal(HttpStatus status, String code, String message, HttpHeaders headers) {
        return new Refusal(new ApiFailure(status, code, message), headers);
    }
}
