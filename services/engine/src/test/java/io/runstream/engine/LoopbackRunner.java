package io.runstream.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A runner for tests: sends an activity's request as it is, as the worker's runner does, with the JDK's client. */
public final class LoopbackRunner {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LoopbackRunner() {
    }

    public static HttpResponse send(HttpRequest request) {
        try {
            var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.uri()))
                    .timeout(Duration.ofSeconds(5))
                    .method(request.method(), request.body() == null
                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
            var response = HTTP.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
            return HttpResponse.of(response.statusCode(), headers, response.body());
        } catch (HttpTimeoutException e) {
            return HttpResponse.failed(HttpResponse.Failure.TIMED_OUT, e.getMessage());
        } catch (IOException e) {
            return HttpResponse.failed(HttpResponse.Failure.UNREACHABLE, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
