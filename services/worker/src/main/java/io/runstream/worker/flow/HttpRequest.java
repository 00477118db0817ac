package io.runstream.worker.flow;

import java.util.Map;

/** An HTTP request as a runner sends it, with every expression already evaluated. */
public record HttpRequest(String method, String uri, Map<String, String> headers, byte[] body) {

    public HttpRequest {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }
}
