package io.runstream.gateway;

import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * The services that run in the gateway's own JVM (the dev stack), by the base URI the routes name them with: a
 * request routed to one of them is handed to its handler in-process instead of being sent over loopback HTTP.
 * Without this bean every route is proxied, as in a deployment where each service runs on its own.
 */
public final class LocalServices {

    private final Map<String, HttpHandler> byOrigin;

    /** @param handlers each service's HTTP handler by its base URI ({@code http://127.0.0.1:8081}) */
    public LocalServices(Map<URI, HttpHandler> handlers) {
        this.byOrigin = handlers.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(entry -> origin(entry.getKey()), Map.Entry::getValue));
    }

    /** The handler of the service at the URL's origin, or null when that service runs elsewhere. */
    HttpHandler at(URI url) {
        return byOrigin.get(origin(url));
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }
}
