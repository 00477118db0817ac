package io.runstream.gateway;

import io.micrometer.observation.Observation;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Ends the tracked call to a service when the client goes away before the answer, which Spring Cloud Gateway does
 * not do (spring-cloud-gateway#3609): without it each such request stays in {@code http.client.requests.active} for
 * good, and its sample in memory.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class AbortedRequests implements WebFilter {

    /** The attribute Spring Cloud Gateway sets once it has stopped the call's observation itself. */
    static final String STOPPED = "gateway.observation.stopped";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).doOnCancel(() -> {
            Observation call = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
            if (call != null && exchange.getAttributes().putIfAbsent(STOPPED, "true") == null) {
                call.stop();
            }
        });
    }
}
