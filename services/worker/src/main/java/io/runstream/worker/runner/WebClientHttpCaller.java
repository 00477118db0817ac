package io.runstream.worker.runner;

import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import io.micrometer.common.KeyValue;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The engine's HTTP port on WebClient (Reactor Netty): connect and response timeouts, a cap on the body held in
 * memory, no redirects followed (a 3xx reaches the workflow as the spec expects), an egress policy that refuses
 * blocked networks before connecting, and kept connections not used again once idle for the idle timeout.
 */
public final class WebClientHttpCaller implements HttpCaller {

    private static final String SHOWN_URL = "runstream.shown-url";
    /** The default idle timeout: under the shortest keep-alive timeout common among servers (5 s: Apache, Node.js). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);

    private final WebClient client;

    public WebClientHttpCaller(Duration connectTimeout, Duration responseTimeout, int maxBodyBytes) {
        this(connectTimeout, responseTimeout, maxBodyBytes, IDLE_TIMEOUT, java.util.List.of(),
                ObservationRegistry.NOOP);
    }

    /**
     * @param idleTimeout how long a kept connection may stay unused and still be used for a call. A server closes the
     *     connections it keeps after its own keep-alive timeout; a call sent on one it has just closed fails with
     *     "Connection prematurely closed BEFORE response" although the callee never saw it. Every client races the
     *     server there, and a worker that stood still (a long GC pause, a frozen VM) did not see the closes meanwhile,
     *     so a connection is checked when taken from the pool and closed instead once idle this long (Reactor Netty
     *     keeps one for ever by default).
     * @param blockedNetworks CIDR blocks calls may not reach, checked on resolved addresses
     * @param observations where each call is observed: its span, a child of the observation in the subscriber's
     *     context, sends the callee its {@code traceparent}
     */
    public WebClientHttpCaller(Duration connectTimeout, Duration responseTimeout, int maxBodyBytes,
            Duration idleTimeout, java.util.List<String> blockedNetworks, ObservationRegistry observations) {
        // otherwise as the pool HttpClient.create() shares (HttpResources): 500 connections a host, twice as many
        // calls waiting for one, each at most 45 s
        ConnectionProvider connections = ConnectionProvider.builder("runstream-calls")
                .maxConnections(Math.max(ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS, 500))
                .pendingAcquireTimeout(Duration.ofMillis(ConnectionProvider.DEFAULT_POOL_ACQUIRE_TIMEOUT))
                .maxIdleTime(idleTimeout).build();
        HttpClient http = HttpClient.create(connections)
                .resolver(new GuardedResolverGroup(new EgressPolicy(blockedNetworks)))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .responseTimeout(responseTimeout)
                .followRedirect(false);
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxBodyBytes))
                .observationRegistry(observations)
                .observationConvention(new ShownUrl())
                .build();
    }

    @Override
    public Mono<HttpResult> exchange(HttpCall call) {
        WebClient.RequestBodySpec request = client.method(HttpMethod.valueOf(call.method())).uri(call.uri())
                .attribute(SHOWN_URL, call.shownUri())
                .headers(headers -> call.headers().forEach(headers::set));
        WebClient.RequestHeadersSpec<?> withBody = call.body() == null ? request : request.bodyValue(call.body());
        return withBody.exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> {
                            Map<String, String> headers = new LinkedHashMap<>();
                            response.headers().asHttpHeaders()
                                    .forEach((name, values) -> headers.put(name, String.join(", ", values)));
                            return new HttpResult(response.statusCode().value(), headers, body);
                        }))
                .onErrorMap(WebClientHttpCaller::isTimeout, e -> new HttpTimeoutException("nothing received for "
                        + "longer than the response timeout (runstream.worker.http.response-timeout)"));
    }

    /** The call's span shows its URL without the values of secrets filled into it. */
    private static final class ShownUrl extends DefaultClientRequestObservationConvention {

        @Override
        protected KeyValue httpUrl(ClientRequestObservationContext context) {
            Object shown = context.getRequest() == null ? null
                    : context.getRequest().attribute(SHOWN_URL).orElse(null);
            return shown == null ? super.httpUrl(context) : KeyValue.of("http.url", shown.toString());
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
