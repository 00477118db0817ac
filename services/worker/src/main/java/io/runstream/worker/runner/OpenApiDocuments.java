package io.runstream.worker.runner;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.SecretReference;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The documents {@code call: openapi} tasks name, read through the runner's own calls (so the egress policy, the
 * response size and the deadline apply), parsed by swagger-parser (OpenAPI 3, and Swagger 2 converted; JSON or YAML)
 * without following any {@code $ref} outside the document, and kept parsed for a while: per tenant, URL and
 * credentials (a hash of the document's Authorization header, never the header itself), at most so many, the least
 * recently used going first. Calls that want a document being read wait for that one read; a document that could not
 * be fetched or parsed is not kept. References to secrets are made per execution, so a document read with credentials
 * from a secret is kept for that execution's calls only.
 */
final class OpenApiDocuments {

    /**
     * A parsed document and where it was read from (relative server URLs resolve against it), or why there is none.
     *
     * @param failure the result to report instead of a call, or null when the document was read
     */
    record Loaded(OpenAPI api, URI location, HttpResponse failure) {
    }

    /** Whose document, where, and with which credentials (hashed). */
    private record Key(String tenant, String uri, String credentials) {
    }

    private record Entry(CompletableFuture<Loaded> document, long expiresAt) {
    }

    private static final int MESSAGE_LIMIT = 3;

    private final ActivityRunner runner;
    private final long ttlMillis;
    private final Clock clock;
    private final Map<Key, Entry> documents;

    OpenApiDocuments(ActivityRunner runner, Duration ttl, int maxDocuments, Clock clock) {
        this.runner = runner;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
        this.documents = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > maxDocuments;
            }
        };
    }

    /**
     * The document {@code request} fetches, for {@code tenant}: the one kept if it is fresh, or the one being read,
     * or a new read (within {@code timeout}, as a call of the execution: the secrets it names are filled in).
     */
    Mono<Loaded> get(HttpRequest request, String tenant, String executionId, String idempotencyKey,
            Duration timeout) {
        Key key = new Key(tenant, request.uri(), credentials(request.headers()));
        CompletableFuture<Loaded> created = new CompletableFuture<>();
        CompletableFuture<Loaded> document;
        synchronized (documents) {
            Entry entry = documents.get(key);
            long now = clock.millis();
            if (entry != null && entry.expiresAt() > now) {
                document = entry.document();
            } else {
                documents.put(key, new Entry(created, now + ttlMillis));
                document = created;
            }
        }
        if (document == created) {
            // read once for every call that wants it; a call cancelled meanwhile does not cancel the read
            fetch(request, tenant, executionId, idempotencyKey, timeout).subscribe(loaded -> {
                if (loaded.failure() != null) {
                    forget(key, created);
                }
                created.complete(loaded);
            }, e -> {
                forget(key, created);
                created.completeExceptionally(e);
            });
        }
        return Mono.fromFuture(document, true);
    }

    /** How many documents are kept (or being read). */
    int size() {
        synchronized (documents) {
            return documents.size();
        }
    }

    private void forget(Key key, CompletableFuture<Loaded> document) {
        synchronized (documents) {
            Entry entry = documents.get(key);
            if (entry != null && entry.document() == document) {
                documents.remove(key);
            }
        }
    }

    private Mono<Loaded> fetch(HttpRequest request, String tenant, String executionId, String idempotencyKey,
            Duration timeout) {
        return runner.perform(request, tenant, executionId, idempotencyKey, timeout)
                .publishOn(Schedulers.boundedElastic())
                .map(response -> load(request, response));
    }

    private static Loaded load(HttpRequest request, HttpResponse response) {
        if (response.failure() != null) {
            return new Loaded(null, null, HttpResponse.failed(response.failure(), "reading the OpenAPI document: "
                    + response.message(), response.status()));
        }
        if (response.status() < 200 || response.status() >= 300) {
            return new Loaded(null, null, HttpResponse.failed(HttpResponse.Failure.DOCUMENT_UNAVAILABLE,
                    "GET " + SecretReference.hidden(request.uri()) + " answered " + response.status(),
                    response.status()));
        }
        SwaggerParseResult parsed = parse(new String(response.body(), StandardCharsets.UTF_8));
        if (parsed == null || parsed.getOpenAPI() == null) {
            List<String> messages = parsed == null || parsed.getMessages() == null ? List.of()
                    : parsed.getMessages().stream().filter(Objects::nonNull).toList();
            return new Loaded(null, null, HttpResponse.failed(HttpResponse.Failure.DOCUMENT_INVALID,
                    SecretReference.hidden(request.uri()) + " is not an OpenAPI 3 or Swagger 2 document"
                    + (messages.isEmpty() ? "" : ": " + messages.stream().limit(MESSAGE_LIMIT)
                            .collect(Collectors.joining("; ")))));
        }
        return new Loaded(parsed.getOpenAPI(), URI.create(request.uri()), null);
    }

    /** The document parsed; only its own {@code $ref}s are read, and those when a request is built. */
    static SwaggerParseResult parse(String text) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        options.setResolveFully(false);
        try {
            return new OpenAPIParser().readContents(text, null, options);
        } catch (RuntimeException e) {
            SwaggerParseResult failed = new SwaggerParseResult();
            failed.setMessages(List.of(String.valueOf(e.getMessage())));
            return failed;
        }
    }

    /** The document's credentials as a key part: a SHA-256 of its Authorization header, empty for none. */
    private static String credentials(Map<String, String> headers) {
        String authorization = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("authorization"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (authorization == null) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
