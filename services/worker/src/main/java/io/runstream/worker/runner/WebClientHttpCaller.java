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

/**
 * The engine's HTTP port on WebClient (Reactor Netty): connect and response timeouts, a cap on the body held in
 * memory, no redirects followed (a 3xx reaches the workflow as the spec expects), and an egress policy that
 * refuses blocked networks before connecting.
 */
public final class WebClientHttpCaller implements HttpCaller {

    private static final String SHOWN_URL = "runstream.shown-url";

    private final WebClient client;

    public WebClientHttpCaller(Duration connectTimeout, Duration responseTimeout, int maxBodyBytes) {
        this(connectTimeout, responseTimeout, maxBodyBytes, java.util.List.of(), ObservationRegistry.NOOP);
    }

    /**
     * @param blockedNetworks CIDR blocks calls may not reach, checked on resolved addresses
     * @param observations where each call is observed: its span, a child of the observation in the subscriber's
     *     context, sends the callee its {@code traceparent}
     */
    public WebClientHttpCaller(Duration connectTimeout, Duration responseTimeout, int maxBodyBytes,
            java.util.List<String> blockedNetworks, ObservationRegistry observations) {
        HttpClient http = HttpClient.create()
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
