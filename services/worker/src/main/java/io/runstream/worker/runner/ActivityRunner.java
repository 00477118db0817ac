package io.runstream.worker.runner;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferLimitException;
import reactor.core.publisher.Mono;

/**
 * Performs one activity: fills in the secrets it names ({@link SecretFill}), sends its request with the activity's
 * {@code Idempotency-Key}, and turns what happened into a result the worker can apply, within a total deadline, with
 * every value it filled in masked in the response. It never fails: no response is a result too.
 */
public final class ActivityRunner {

    /** The header every outgoing call carries, stable across re-dispatches of the same activity. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpCaller http;
    private final long maxResponseBytes;
    private final SecretFill secrets;
    private final OAuthTokens tokens;

    /** A runner that fills in no secret: a call that names one is sent with the reference as it is. */
    public ActivityRunner(HttpCaller http, long maxResponseBytes) {
        this(http, maxResponseBytes, null, Duration.ofSeconds(10));
    }

    /** @param tokenTimeout how long a token request (or a discovery document) may take */
    ActivityRunner(HttpCaller http, long maxResponseBytes, SecretFill secrets, Duration tokenTimeout) {
        this(http, maxResponseBytes, secrets, new OAuthTokens(http, tokenTimeout, System::currentTimeMillis));
    }

    ActivityRunner(HttpCaller http, long maxResponseBytes, SecretFill secrets, OAuthTokens tokens) {
        this.http = http;
        this.maxResponseBytes = maxResponseBytes;
        this.secrets = secrets;
        this.tokens = tokens;
    }

    /**
     * A runner that fills in secrets from the log's copy, opened with the configured keys.
     *
     * @param keys the secrets keys (none: a call naming a secret fails with the spec's authorization error)
     */
    public static ActivityRunner withSecrets(HttpCaller http, long maxResponseBytes, SecretLookup secrets,
            java.util.List<String> keys) {
        return new ActivityRunner(http, maxResponseBytes, new SecretFill(secrets,
                keys.isEmpty() ? null : io.runstream.api.secrets.SecretCipher.of(keys), SecretTokens.of(keys)),
                Duration.ofSeconds(10));
    }

    /** The call of an execution of a tenant, whose secrets it may name. */
    public Mono<HttpResponse> perform(HttpRequest request, String tenant, String executionId, String idempotencyKey,
            Duration callTimeout) {
        if (secrets == null) {
            return perform(request, idempotencyKey, callTimeout);
        }
        return Mono.defer(() -> secrets.fill(request, tenant, executionId))
                .flatMap(filled -> filled.credential().sendsMore()
                        // its credential's own requests count against the call's deadline too
                        ? authenticated(filled, tenant, request.uri(), idempotencyKey, callTimeout)
                                .timeout(callTimeout, Mono.fromSupplier(() -> HttpResponse.failed(
                                        HttpResponse.Failure.TIMED_OUT, "no complete response within "
                                                + callTimeout.toMillis() + " ms, the whole call's deadline (runstream"
                                                + ".worker.http.call-timeout), its credential's requests included")))
                        : authenticated(filled, tenant, request.uri(), idempotencyKey, callTimeout))
                .onErrorResume(SecretFill.Unavailable.class, e -> Mono.just(HttpResponse.failed(
                        HttpResponse.Failure.SECRET_UNAVAILABLE, e.getMessage())))
                .onErrorResume(OAuthTokens.Refused.class, e -> Mono.just(HttpResponse.failed(
                        HttpResponse.Failure.AUTHENTICATION, e.getMessage(), e.status)));
    }

    /**
     * Sends the filled request with the credential its policy makes at call time: a digest one answers the callee's
     * challenge (a second request, with the same Idempotency-Key); an OAuth2 one is a cached token.
     */
    private Mono<HttpResponse> authenticated(SecretFill.Filled filled, String tenant, String shownUri,
            String idempotencyKey, Duration callTimeout) {
        return filled.credential().send(filled.request(),
                request -> send(request, shownUri, idempotencyKey, callTimeout), tenant, tokens)
                .map(sent -> masked(sent.response(), filled.masks().and(sent.credential())));
    }



    private static HttpResponse masked(HttpResponse response, SecretFill.Masks masks) {
        if (masks.isEmpty()) {
            return response;
        }
        return new HttpResponse(response.status(), masks.apply(response.headers()), masks.apply(response.body()),
                response.failure(), masks.apply(response.message()));
    }

    /**
     * The call's result, within {@code callTimeout} of the subscription whatever the callee does: connecting,
     * sending, waiting and reading the whole body all count, so a callee that dribbles bytes cannot hold it longer.
     * Past it, the call is cancelled (its connection closed) and ends {@code TIMED_OUT}.
     */
    public Mono<HttpResponse> perform(HttpRequest request, String idempotencyKey, Duration callTimeout) {
        return send(request, request.uri(), idempotencyKey, callTimeout);
    }

    /** @param shownUri the URI as spans may show it: with references to secrets, not their values */
    private Mono<HttpResponse> send(HttpRequest request, String shownUri, String idempotencyKey,
            Duration callTimeout) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.keySet().removeIf(IDEMPOTENCY_KEY::equalsIgnoreCase);
        headers.put(IDEMPOTENCY_KEY, idempotencyKey);
        return Mono.defer(() -> http.exchange(new HttpCaller.HttpCall(request.method(), URI.create(request.uri()),
                        headers, request.body(), io.runstream.engine.SecretReference.hidden(shownUri))))
                .timeout(callTimeout, Mono.error(() -> new HttpTimeoutException("no complete response within "
                        + callTimeout.toMillis() + " ms, the whole call's deadline (runstream.worker.http"
                        + ".call-timeout)")))
                .map(result -> HttpResponse.of(result.status(), result.headers(), result.body()))
                .onErrorResume(e -> Mono.just(failure(e)));
    }

    private HttpResponse failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return HttpResponse.failed(HttpResponse.Failure.TOO_LARGE, "the response is larger than "
                        + maxResponseBytes + " bytes, the most one record carries (runstream.worker.http"
                        + ".max-response-size)");
            }
            if (t instanceof HttpTimeoutException) {
                return HttpResponse.failed(HttpResponse.Failure.TIMED_OUT, t.getMessage());
            }
            if (t instanceof ConnectException && String.valueOf(t.getMessage()).contains("blocked-networks")) {
                return HttpResponse.failed(HttpResponse.Failure.REFUSED, t.getMessage());
            }
        }
        return HttpResponse.failed(HttpResponse.Failure.UNREACHABLE, String.valueOf(e.getMessage()));
    }
}
