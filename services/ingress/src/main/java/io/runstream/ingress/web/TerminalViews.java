package io.runstream.ingress.web;

import io.runstream.api.views.LocalExecutionViews;
import io.runstream.ingress.config.IngressProperties;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * An execution's view once it has ended, for a start that waits for its result. The view comes from the projection
 * (its long poll, {@code GET /v1/executions/{id}?waitForTerminalSeconds=N}), asked with the key the caller
 * authenticated with, and is passed on unchanged, so it is the same view a read shows; when the projection runs in
 * this JVM (the dev stack gives its {@link LocalExecutionViews}), the same poll is asked in-process for the caller's
 * tenant. Best effort: the start was
 * accepted whatever happens here, so a projection that is away or slow, an execution still running, or more waiting
 * starts than {@code max-waiting} leave the caller the start's own answer.
 */
@Component
class TerminalViews {

    private static final Logger log = LoggerFactory.getLogger(TerminalViews.class);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    /** Past the wait, the projection still reads the view once before it answers. */
    private static final Duration READ_SLACK = Duration.ofSeconds(5);
    /** A view holds at most the input (160 KB by default) and an output within the worker's progress limit. */
    private static final int MAX_VIEW_BYTES = 4 * 1024 * 1024;
    private static final String API_KEY = "X-API-Key";

    /** Where the long poll is asked: the projection in this JVM, or its API. */
    private final LongPoll poll;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    /** The projection's long poll of one execution for one caller. */
    @FunctionalInterface
    private interface LongPoll {
        Mono<JsonNode> ask(String tenant, UUID executionId, Duration wait, HttpHeaders caller);
    }

    TerminalViews(IngressProperties properties, ObjectProvider<LocalExecutionViews> local) {
        IngressProperties.StartWait settings = properties.startWait();
        this.maxWaiting = settings.maxWaiting();
        LocalExecutionViews inProcess = local.getIfAvailable();
        this.poll = inProcess != null
                ? (tenant, executionId, wait, caller) -> inProcess.awaitTerminal(tenant, executionId, wait)
                : overHttp(client(settings));
    }

    private WebClient client(IngressProperties.StartWait settings) {
        // a connection for each waiting start: Reactor Netty's default pool (16 on 2 cores) would make the 17th wait
        // behind the others' whole waits
        ConnectionProvider connections = ConnectionProvider.builder("start-wait").maxConnections(maxWaiting)
                .pendingAcquireMaxCount(-1).build();
        return WebClient.builder()
                .baseUrl(settings.projectionUri().toString())
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_VIEW_BYTES))
                .build();
    }

    /** The view when the execution has ended within {@code wait}; empty when it has not, or it cannot be read. */
    Mono<JsonNode> ended(String tenant, UUID executionId, Duration wait, HttpHeaders caller) {
        return Mono.defer(() -> {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                log.warn("{} starts already wait for their result (runstream.ingress.start-wait.max-waiting); "
                        + "execution {} is answered without waiting", maxWaiting, executionId);
                return Mono.empty();
            }
            return poll.ask(tenant, executionId, wait, caller)
                    .timeout(wait.plus(READ_SLACK))
                    .filter(ended -> TERMINAL.contains(ended.path("status").asString("")))
                    .onErrorResume(e -> {
                        if (e instanceof WebClientResponseException.NotFound) {
                            log.debug("Execution {} not in the view within {}", executionId, wait);
                        } else {
                            log.warn("Could not read execution {} from the projection: {}", executionId, e.toString());
                        }
                        return Mono.empty();
                    })
                    .doFinally(signal -> waiting.decrementAndGet());
        });
    }

    /** The projection's API asked with the caller's key, which gives the tenant there. */
    private static LongPoll overHttp(WebClient projection) {
        return (tenant, executionId, wait, caller) -> projection.get()
                .uri(uri -> uri.path("/v1/executions/{id}").queryParam("waitForTerminalSeconds", wait.toSeconds())
                        .build(executionId))
                .headers(headers -> authenticateAs(caller, headers))
                .retrieve()
                .bodyToMono(JsonNode.class);
    }

    /** The header the caller's key came in, as the API reads it: {@code X-API-Key} first, else the bearer token. */
    private static void authenticateAs(HttpHeaders caller, HttpHeaders to) {
        String apiKey = caller.getFirst(API_KEY);
        if (apiKey != null && !apiKey.isBlank()) {
            to.set(API_KEY, apiKey);
        } else if (caller.getFirst(HttpHeaders.AUTHORIZATION) != null) {
            to.set(HttpHeaders.AUTHORIZATION, caller.getFirst(HttpHeaders.AUTHORIZATION));
        }
    }
}
