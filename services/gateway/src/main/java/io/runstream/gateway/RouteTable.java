package io.runstream.gateway;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The configured routes read as data, so that a request can be matched to its service without the gateway's
 * handler: a route with only Path and Method predicates and no filters is matched here, in order, as the gateway
 * matches it; at a route of any other kind the table stops and leaves the request to the gateway.
 */
final class RouteTable {

    /** A route: where it goes, its paths and methods (empty: any), or null paths when it cannot be read here. */
    private record Route(URI uri, List<PathPattern> paths, Set<HttpMethod> methods) {

        boolean readable() {
            return paths != null;
        }

        boolean matches(HttpMethod method, PathContainer path) {
            return (methods.isEmpty() || methods.contains(method))
                    && (paths.isEmpty() || paths.stream().anyMatch(pattern -> pattern.matches(path)));
        }
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    static RouteTable of(GatewayProperties gateway) {
        boolean defaultFilters = !gateway.getDefaultFilters().isEmpty();
        return new RouteTable(gateway.getRoutes().stream().filter(RouteDefinition::isEnabled)
                .sorted(Comparator.comparingInt(RouteDefinition::getOrder))
                .map(route -> defaultFilters || !route.getFilters().isEmpty() ? unreadable(route) : read(route))
                .toList());
    }

    /**
     * Where the first route that matches the request goes; null when none matches or when a route this table cannot
     * read comes first (the gateway then decides).
     */
    URI target(HttpMethod method, PathContainer path) {
        for (Route route : routes) {
            if (!route.readable()) {
                return null;
            }
            if (route.matches(method, path)) {
                return route.uri();
            }
        }
        return null;
    }

    private static Route read(RouteDefinition definition) {
        List<PathPattern> paths = List.of();
        Set<HttpMethod> methods = Set.of();
        for (PredicateDefinition predicate : definition.getPredicates()) {
            boolean shortcut = predicate.getArgs().keySet().stream().allMatch(key -> key.startsWith("_genkey_"));
            if (!shortcut) {
                return unreadable(definition);
            }
            switch (predicate.getName()) {
                case "Path" -> paths = predicate.getArgs().values().stream()
                        .map(PathPatternParser.defaultInstance::parse).toList();
                case "Method" -> methods = predicate.getArgs().values().stream().map(HttpMethod::valueOf)
                        .collect(Collectors.toUnmodifiableSet());
                default -> {
                    return unreadable(definition);
                }
            }
        }
        return new Route(definition.getUri(), paths, methods);
    }

    private static Route unreadable(RouteDefinition definition) {
        return new Route(definition.getUri(), null, Set.of());
    }
}
