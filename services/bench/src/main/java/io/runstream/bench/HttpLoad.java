package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
        // idle connections are let go well before the gateway closes them (its read timeout, 30 s), so that a slow rate
        // after a fast one does not send on a connection the server is closing
        this.http = HttpClient.create(ConnectionProvider.builder("bench").maxConnections(concurrency)
                        .pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(10)).build())
                // longer than a start that waits 30 s for its result, after a publish that may take 10 s
                .responseTimeout(Duration.ofSeconds(60));
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

    /**
     * Open loop: sends {@code rate} requests a second for {@code duration}, each when it is due whatever the answers'
     * pace (up to this load's connections in flight), and times each from the moment it was due, so a stall counts
     * against every request due during it instead of slowing the sender down and hiding it. A sender that falls
     * behind sends what is due at once. The percentiles are of the requests answered 2xx; the rest are errors.
     */
    Stats runAtRate(String name, double rate, Duration duration, IntFunction<Request> request, ResponseHook hook)
            throws InterruptedException {
        double total = rate * duration.toMillis() / 1000.0;
        if (!(rate > 0) || total < 1 || total > 10_000_000) {
            throw new IllegalArgumentException(name + ": " + rate + " a second for " + duration
                    + " is not between 1 and 10,000,000 requests");
        }
        int count = (int) Math.round(total);
        long[] latencies = new long[count];
        java.util.Arrays.fill(latencies, -1);
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(count);
        double interval = 1_000_000_000.0 / rate;
        long start = System.nanoTime() + 10_000_000L;
        for (int n = 0; n < count; n++) {
            long due = start + (long) (n * interval);
            for (long early = due - System.nanoTime(); early > 0; early = due - System.nanoTime()) {
                LockSupport.parkNanos(early);
            }
            send(n, request.apply(n), due, false, latencies, errors, hook)
                    .doFinally(signal -> answered.countDown())
                    .subscribe();
        }
        if (!answered.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + ": " + answered.getCount() + " requests not answered");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Stats(name, count, errors.get(), seconds,
                java.util.Arrays.stream(latencies).filter(latency -> latency >= 0).toArray());
    }

    private Mono<Void> send(int n, Request request, long[] latencies, AtomicInteger errors, ResponseHook hook) {
        return send(n, request, System.nanoTime(), true, latencies, errors, hook);
    }

    /**
     * Sends one request, timed from {@code sent} (when it was sent, or when it was due); a failure's time is kept only
     * with {@code timeFailures}.
     */
    private Mono<Void> send(int n, Request request, long sent, boolean timeFailures, long[] latencies,
            AtomicInteger errors, ResponseHook hook) {
        var spec = http.headers(h -> request.headers().forEach(h::set)).request(request.method()).uri(request.url());
        var withBody = request.body() == null ? spec
                : spec.send(ByteBufFlux.fromString(Mono.just(request.body()), StandardCharsets.UTF_8,
                        io.netty.buffer.ByteBufAllocator.DEFAULT));
        return withBody.responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> {
                    long latency = (System.nanoTime() - sent) / 1000;
                    if (response.status().code() / 100 != 2) {
                        errors.incrementAndGet();
                        latencies[n] = timeFailures ? latency : latencies[n];
                    } else {
                        latencies[n] = latency;
                        hook.onResponse(n, sent, text);
                    }
                    return text;
                }))
                .onErrorResume(e -> {
                    latencies[n] = timeFailures ? (System.nanoTime() - sent) / 1000 : latencies[n];
                    errors.incrementAndGet();
                    return Mono.empty();
                })
                .then();
    }
}
