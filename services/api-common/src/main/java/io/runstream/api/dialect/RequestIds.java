package io.runstream.api.dialect;

import java.util.UUID;
import org.springframework.web.server.ServerWebExchange;

/** The request id of the Executions v1 envelope: the caller's {@code X-Request-Id}, or a new one kept per request. */
public final class RequestIds {

    private static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    private RequestIds() {
    }

    public static String of(ServerWebExchange exchange) {
        return exchange.getAttributes().computeIfAbsent(ATTRIBUTE, key -> {
            String given = exchange.getRequest().getHeaders().getFirst(HEADER);
            String id = given != null && !given.isBlank() && given.length() <= 128 ? given : UUID.randomUUID().toString();
            exchange.getResponse().getHeaders().set(HEADER, id);
            return id;
        }).toString();
    }
}
