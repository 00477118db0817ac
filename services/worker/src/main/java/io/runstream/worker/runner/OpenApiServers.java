package io.runstream.worker.runner;

import io.runstream.engine.HttpResponse;
import io.runstream.engine.SecretReference;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.servers.Server;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Where an OpenAPI operation is served: the operation's first server, else its path's, else the document's, its
 * variables at their defaults, resolved against the document's own URL (so a relative server, or none, is where the
 * document is). Only http(s) is called.
 */
final class OpenApiServers {

    private OpenApiServers() {
    }

    /** The server that applies, or null for none. */
    static Server of(Operation operation, PathItem item, OpenAPI api) {
        for (List<Server> servers : Arrays.asList(operation.getServers(), item.getServers(), api.getServers())) {
            if (servers != null && !servers.isEmpty()) {
                return servers.get(0);
            }
        }
        return null;
    }

    /** The server's URL resolved against the document's, without a final slash. */
    static String base(Server server, URI location) {
        String url = server == null || server.getUrl() == null || server.getUrl().isBlank() ? "/" : server.getUrl();
        if (server != null && server.getVariables() != null) {
            for (var variable : server.getVariables().entrySet()) {
                url = url.replace("{" + variable.getKey() + "}", String.valueOf(variable.getValue().getDefault()));
            }
        }
        URI resolved;
        try {
            resolved = location.resolve(url);
        } catch (IllegalArgumentException e) {
            throw invalid(url, location, "is not a URL");
        }
        if (!"http".equalsIgnoreCase(resolved.getScheme()) && !"https".equalsIgnoreCase(resolved.getScheme())
                || resolved.getHost() == null) {
            throw invalid(url, location, "is not an http(s) URL");
        }
        String base = resolved.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static OpenApiException invalid(String url, URI location, String why) {
        return new OpenApiException(HttpResponse.Failure.DOCUMENT_INVALID, "the server URL '" + url + "' of "
                + SecretReference.hidden(location.toString()) + " " + why);
    }
}
