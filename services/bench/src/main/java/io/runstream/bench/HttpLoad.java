package io.runstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Sends a bounded number of HTTP requests with a fixed number in flight, timing each one. */
final class HttpLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int concurrency;

    HttpLoad(int concurrency) {
        this.concurrency = concurrency;
    }

    /** Runs {@code count} requests built by {@code request}; a response outside 2xx counts as an error. */
    Stats run(String name, int count, IntFunction<HttpRequest> request, ResponseHook hook) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        long[] latencies = new long[count];
        AtomicInteger errors = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int n = i;
            long sent = System.nanoTime();
            all[i] = http.sendAsync(request.apply(n), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        latencies[n] = (System.nanoTime() - sent) / 1000;
                        if (failure != null || response.statusCode() / 100 != 2) {
                            errors.incrementAndGet();
                        } else {
                            hook.onResponse(n, sent, response.body());
                        }
                        inFlight.release();
                    });
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).join();
        return new Stats(name, count, errors.get(), (System.nanoTime() - start) / 1e9, latencies);
    }

    static HttpRequest.Builder to(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    }

    /** Called for each successful response. */
    interface ResponseHook {
        void onResponse(int n, long sentNanos, String body);

        ResponseHook NONE = (n, sent, body) -> { };
    }
}
