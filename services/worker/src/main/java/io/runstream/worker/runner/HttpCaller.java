package io.runstream.worker.runner;

import reactor.core.publisher.Mono;

/**
 * Port: sends one HTTP request and completes with the response, whatever its status. Cancelling the subscription
 * aborts the request (the {@link ActivityRunner} does so at the call's total deadline). A response that does not
 * start, or a body that stops, within the caller's own timeouts fails with {@link java.net.http.HttpTimeoutException}.
 */
@FunctionalInterface
public interface HttpCaller {

    Mono<HttpResult> exchange(HttpCall call);

    /**
     * One request of a {@code call: http} task.
     *
     * @param shownUri the URI as a span may show it, without the values of any secrets filled into it
     */
    record HttpCall(String method, java.net.URI uri, java.util.Map<String, String> headers, byte[] body,
            String shownUri) {

        HttpCall(String method, java.net.URI uri, java.util.Map<String, String> headers, byte[] body) {
            this(method, uri, headers, body, uri.toString());
        }
    }

    /** The response: status, headers (one value each) and the body bytes, empty when there were none. */
    record HttpResult(int status, java.util.Map<String, String> headers, byte[] body) {
    }
}
