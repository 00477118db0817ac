package io.runstream.engine;

import java.util.Map;

/**
 * An HTTP request as a runner sends it, with every expression already evaluated. For a {@code call: openapi} it is
 * the request that fetches the document, and {@code openApi} names the operation the runner builds from it.
 *
 * @param openApi the operation of a {@code call: openapi}, null for any other call
 */
public record HttpRequest(String method, String uri, Map<String, String> headers, byte[] body,
        OpenApiOperation openApi) {

    public HttpRequest {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** A request to send as it is. */
    public HttpRequest(String method, String uri, Map<String, String> headers, byte[] body) {
        this(method, uri, headers, body, null);
    }

    /** The same request with one more header. */
    public HttpRequest withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpRequest(method, uri, more, body, openApi);
    }
}
