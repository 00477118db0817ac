package io.runstream.engine;

import java.util.Map;

/** An HTTP request as a runner sends it, with every expression already evaluated. */
public record HttpRequest(String method, String uri, Map<String, String> headers, byte[] body) {

    public HttpRequest {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** The same request with one more header. */
    public HttpRequest withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpRequest(method, uri, more, body);
    }
}
