package io.runstream.worker.runner;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.SecretReference;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Performs a {@code call: openapi} activity: reads its document (kept by {@link OpenApiDocuments}), builds the
 * request its operation describes ({@link OpenApiRequests}), and makes it through {@link ActivityRunner#perform},
 * the one path every call takes. Reading the document and the call share the activity's deadline. The result shows
 * the request that was built, its credentials hidden, as the task's output echoes it.
 */
public final class OpenApiRunner {

    private final ActivityRunner runner;
    private final OpenApiDocuments documents;
    private final Clock clock;

    public OpenApiRunner(ActivityRunner runner, Duration documentTtl, int maxDocuments, Clock clock) {
        this.runner = runner;
        this.documents = new OpenApiDocuments(runner, documentTtl, maxDocuments, clock);
        this.clock = clock;
    }

    /**
     * The call of an execution of a tenant, within {@code callTimeout} however long the document takes; the document
     * and the call each go through {@link ActivityRunner#perform(HttpRequest, String, String, String, Duration)}, so
     * the secrets and credentials they name are filled in there.
     */
    public Mono<HttpResponse> perform(HttpRequest activity, String tenant, String executionId, String idempotencyKey,
            Duration callTimeout) {
        return Mono.defer(() -> {
            long deadline = clock.millis() + callTimeout.toMillis();
            HttpRequest document = new HttpRequest("GET", activity.uri(), activity.headers(), null);
            return documents.get(document, tenant, executionId, idempotencyKey, callTimeout)
                    .timeout(callTimeout, Mono.fromSupplier(() -> new OpenApiDocuments.Loaded(null, null,
                            HttpResponse.failed(HttpResponse.Failure.TIMED_OUT, "the OpenAPI document was not read "
                                    + "within " + callTimeout.toMillis() + " ms, the whole call's deadline "
                                    + "(runstream.worker.http.call-timeout)"))))
                    .flatMap(loaded -> loaded.failure() != null
                            ? Mono.just(loaded.failure().withRequest(shown(document)))
                            : call(loaded, activity, tenant, executionId, idempotencyKey, deadline));
        });
    }

    private Mono<HttpResponse> call(OpenApiDocuments.Loaded document, HttpRequest activity, String tenant,
            String executionId, String idempotencyKey, long deadline) {
        HttpRequest request;
        try {
            request = OpenApiRequests.build(document.api(), document.location(), activity.openApi());
        } catch (OpenApiException e) {
            return Mono.just(e.response());
        }
        long left = deadline - clock.millis();
        if (left <= 0) {
            return Mono.just(HttpResponse.failed(HttpResponse.Failure.TIMED_OUT, "no time was left for the call "
                    + "after reading its OpenAPI document (runstream.worker.http.call-timeout)")
                    .withRequest(shown(request)));
        }
        return runner.perform(request, tenant, executionId, idempotencyKey, Duration.ofMillis(left))
                .map(response -> response.withRequest(shown(request)));
    }

    /**
     * The request as a result shows it: no body, the Authorization header's credential hidden, and references to
     * secrets shown as {@code ***} (the values were filled in only in what was sent).
     */
    private static HttpRequest shown(HttpRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> headers.put(name, name.equalsIgnoreCase("authorization")
                ? hidden(value) : SecretReference.hidden(value)));
        return new HttpRequest(request.method(), SecretReference.hidden(request.uri()), headers, null);
    }

    private static String hidden(String value) {
        java.util.regex.Matcher credential = SecretReference.CREDENTIAL.matcher(value);
        if (credential.matches()) {
            return switch (credential.group(1)) {
                case "basic" -> "Basic ***";
                case "digest" -> "Digest ***";
                default -> "Bearer ***";
            };
        }
        int space = value.indexOf(' ');
        return (space < 0 ? "" : value.substring(0, space + 1)) + "***";
    }
}
