package io.runstream.gateway;

import io.runstream.api.dialect.ApiFailure;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Bounds how long a client may take to send its request body: silent for the read timeout, or not done by the
 * request timeout, and it gets 408 in its dialect's error body rather than holding a call to a service open. Only
 * the request is bounded, so answers that take long (long polls, event streams) are not cut.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestDeadline implements WebFilter {

    private final Duration readTimeout;
    private final Duration requestTimeout;

    RequestDeadline(GatewaySettings settings) {
        this.readTimeout = settings.readTimeout();
        this.requestTimeout = settings.requestTimeout();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange.mutate().request(bound(exchange.getRequest())).build());
    }

    /** The request with its body bounded by the deadlines, counted from now. */
    ServerHttpRequest bound(ServerHttpRequest request) {
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody()
                        .timeout(Mono.defer(() -> silence(deadline)), next -> silence(deadline))
                        .onErrorMap(TimeoutException.class, late -> late());
            }
        };
    }

    /** 408, and the connection closed with it: the rest of the body will not be read. */
    private Refusal late() {
        HttpHeaders headers = new HttpHeaders();
        headers.setConnection("close");
        return new Refusal(new ApiFailure(HttpStatus.REQUEST_TIMEOUT, "REQUEST_TIMEOUT", "The request body was not"
                + " received in time: at most " + text(readTimeout) + " between parts and " + text(requestTimeout)
                + " in all"), headers);
    }

    private static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The read timeout, or what is left until the request's deadline if that comes first. */
    private Mono<Long> silence(long deadline) {
        long left = Math.max(0, deadline - System.nanoTime());
        return Mono.delay(Duration.ofNanos(Math.min(left, readTimeout.toNanos())));
    }
}
