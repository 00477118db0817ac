package io.runstream.gateway;

import java.net.URI;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * In front of the gateway's own handler when services run in its JVM ({@link LocalServices}): a request for an
 * operation of the API whose route goes to one of them is handed straight to that service's handler, which serves
 * it (authentication, limits, its metrics and trace span, its error model) as it would on its own port; the body
 * keeps the edge's deadline. No HTTP hop, and no second handler chain at the edge. Everything else (a path or method
 * the API does not have, a WebSocket upgrade, the console, the actuator, a route to a service elsewhere) goes to the
 * gateway as before.
 */
final class LocalDispatch implements HttpHandler {

    private final HttpHandler gateway;
    private final ApiOperations operations;
    private final RouteTable routes;
    private final LocalServices services;
    private final RequestDeadline deadline;

    LocalDispatch(HttpHandler gateway, ApiOperations operations, RouteTable routes, LocalServices services,
            RequestDeadline deadline) {
        this.gateway = gateway;
        this.operations = operations;
        this.routes = routes;
        this.services = services;
        this.deadline = deadline;
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        HttpHandler service = serviceFor(request);
        return service == null ? gateway.handle(request, response)
                : service.handle(deadline.bound(request), response);
    }

    private HttpHandler serviceFor(ServerHttpRequest request) {
        if (EdgeFilter.isWebSocket(request)) {
            return null;
        }
        PathContainer path = request.getPath().pathWithinApplication();
        if (!operations.allows(request.getMethod(), path)) {
            return null;
        }
        URI target = routes.target(request.getMethod(), path);
        return target == null ? null : services.at(target);
    }
}
