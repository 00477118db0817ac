package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Sends a bounded number of HTTP requests with a fixed number in flight over pooled connections, timing each. */
final class HttpLoad {

    private final HttpClient http;
    private final int concurrency;

    HttpLoad(int concurrency) {
        this.concurrency = concurrency;
        this.http = HttpClient.create(ConnectionProvider.builder("bench").maxConnections(concurrency)
                        .pendingAcquireMaxCount(-1).build())
                .responseTimeout(Duration.ofSeconds(30));
    }

    /** One request: method, URL, headers and an optional body. */
    record Request(HttpMethod method, String url, Map<String, String> headers, String body) {

        static Request get(String url) {
            return new Request(HttpMethod.GET, url, Map.of(), null);
        }
    }

    /** Called for each successful response. */
    interface ResponseHook {
        void onResponse(int n, long sentNanos, String body);

        ResponseHook NONE = (n, sent, body) -> { };
    }

    /** Runs {@code count} requests built by {@code request}; a response outside 2xx counts as an error. */
    Stats run(String name, int count, IntFunction<Request> request, ResponseHook hook) {
        long[] latencies = new long[count];
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        Flux.range(0, count)
                .flatMap(n -> send(n, request.apply(n), latencies, errors, hook), concurrency)
                .blockLast();
        return new Stats(name, count, errors.get(), (System.nanoTime() - start) / 1e9, latencies);
    }

    private Mono<Void> send(int n, Request request, long[] latencies, AtomicInteger errors, ResponseHook hook) {
        long sent = System.nanoTime();
        var spec = http.headers(h -> request.headers().forEach(h::set)).request(request.method()).uri(request.url());
        var withBody = request.body() == null ? spec
                : spec.send(ByteBufFlux.fromString(Mono.just(request.body()), StandardCharsets.UTF_8,
                        io.netty.buffer.ByteBufAllocator.DEFAULT));
        return withBody.responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> {
                    latencies[n] = (System.nanoTime() - sent) / 1000;
                    if (response.status().code() / 100 != 2) {
                        errors.incrementAndGet();
                    } else {
                        hook.onResponse(n, sent, text);
                    }
                    return text;
                }))
                .onErrorResume(e -> {
                    latencies[n] = (System.nanoTime() - sent) / 1000;
                    errors.incrementAndGet();
                    return Mono.empty();
                })
                .then();
    }
}
