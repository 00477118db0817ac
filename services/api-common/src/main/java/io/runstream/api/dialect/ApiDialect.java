package io.runstream.api.dialect;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * The API dialects Runstream speaks, each with its own error model: the canonical (Flowker) API, the Yandex Cloud
 * Workflows execution API under {@code /workflows/v1/}, and the Executions v1 envelope of {@code POST /v1/executions}.
 */
public enum ApiDialect {
    CANONICAL, YANDEX, EXECUTIONS_V1;

    public static ApiDialect of(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/workflows/v1/")) {
            return YANDEX;
        }
        if (path.equals("/v1/executions") && exchange.getRequest().getMethod() == HttpMethod.POST) {
            return EXECUTIONS_V1;
        }
        return CANONICAL;
    }
}
