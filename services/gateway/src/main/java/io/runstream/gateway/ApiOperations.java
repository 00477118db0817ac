package io.runstream.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The methods the API has at each path, read from the OpenAPI document the gateway serves (so an operation added
 * there is served without touching the gateway), plus the console's pages; HEAD goes wherever GET does.
 */
final class ApiOperations {

    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "options",
            "head", "trace");
    private static final Set<HttpMethod> READ = Set.of(HttpMethod.GET, HttpMethod.HEAD);

    private final Map<PathPattern, Set<HttpMethod>> methods;

    private ApiOperations(Map<PathPattern, Set<HttpMethod>> methods) {
        this.methods = methods;
    }

    static ApiOperations read(Resource openapi) {
        Object document;
        try (InputStream in = openapi.getInputStream()) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + openapi, e);
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get("paths") instanceof Map<?, ?> paths)
                || paths.isEmpty()) {
            throw new IllegalStateException(openapi + " has no paths");
        }
        Map<PathPattern, Set<HttpMethod>> methods = new LinkedHashMap<>();
        paths.forEach((path, item) -> {
            Set<HttpMethod> at = new LinkedHashSet<>();
            ((Map<?, ?>) item).keySet().stream().map(String::valueOf).filter(OPERATIONS::contains)
                    .map(operation -> HttpMethod.valueOf(operation.toUpperCase(Locale.ROOT))).forEach(at::add);
            if (at.contains(HttpMethod.GET)) {
                at.add(HttpMethod.HEAD);
            }
            methods.put(PathPatternParser.defaultInstance.parse(String.valueOf(path)), Set.copyOf(at));
        });
        for (String page : new String[] {"/console", "/console/**", "/openapi.yaml"}) {
            methods.put(PathPatternParser.defaultInstance.parse(page), READ);
        }
        return new ApiOperations(methods);
    }

    /** Each path pattern (as written) with its methods. */
    Map<String, Set<HttpMethod>> byPattern() {
        Map<String, Set<HttpMethod>> byPattern = new LinkedHashMap<>();
        methods.forEach((pattern, at) -> byPattern.put(pattern.getPatternString(), at));
        return byPattern;
    }

    /** Whether the API has the method at the path. */
    boolean allows(HttpMethod method, PathContainer path) {
        for (Map.Entry<PathPattern, Set<HttpMethod>> entry : methods.entrySet()) {
            if (entry.getValue().contains(method) && entry.getKey().matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The methods the API has at a path, each pattern that matches it adding its own; empty if it has none. */
    Set<HttpMethod> at(PathContainer path) {
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        methods.forEach((pattern, at) -> {
            if (pattern.matches(path)) {
                allowed.addAll(at);
            }
        });
        return allowed;
    }
}
