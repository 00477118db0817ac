package io.runstream.projection.web;

import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Server-Sent Events of one execution, bounded: each API key holds at most its quota of streams, and a stream
 * ends after its lifetime with {@code event: reconnect}; the client reconnects with {@code Last-Event-ID} (the
 * sequence of the last state it saw) and gets only newer states.
 */
@Component
class EventStreams {

    private final ExecutionWatcher watcher;
    private final StreamQuota quota;
    private final JsonMapper json;
    private final Duration lifetime;
    /** How long a stream waits for an execution that is not in the view yet (it was just started). */
    private final Duration appearWithin;

    EventStreams(ExecutionWatcher watcher, StreamQuota quota, JsonMapper json, ProjectionProperties properties) {
        this.watcher = watcher;
        this.quota = quota;
        this.json = json;
        this.lifetime = properties.watch().maxStreamLifetime();
        this.appearWithin = properties.watch().pollInterval().multipliedBy(3);
    }

    /**
     * The states after sequence {@code after} (0 for all) up to the one {@code end} stops at, within the lifetime.
     *
     * @throws TooManyStreamsException (as the stream's error) if the key holds its quota already
     */
    Flux<ServerSentEvent<ExecutionResponse>> follow(String tenant, String keyName, UUID executionId, WatchEnd end,
            long after) {
        return Flux.using(() -> quota.open(keyName), permit -> events(tenant, executionId, end, after),
                StreamQuota.Permit::close);
    }

    private Flux<ServerSentEvent<ExecutionResponse>> events(String tenant, UUID executionId, WatchEnd end,
            long after) {
        AtomicLong last = new AtomicLong(after);
        AtomicBoolean ended = new AtomicBoolean();
        Flux<ServerSentEvent<ExecutionResponse>> states = watcher.watch(tenant, executionId, end, appearWithin)
                .doOnComplete(() -> ended.set(true))
                .filter(view -> view.sequence() > after)
                .doOnNext(view -> last.set(view.sequence()))
                .map(this::status);
        return states.take(lifetime)
                .concatWith(Mono.fromSupplier(() -> ended.get() ? null : reconnect(last.get())));
    }

    private ServerSentEvent<ExecutionResponse> status(ExecutionView view) {
        return ServerSentEvent.builder(ExecutionResponse.of(view, json))
                .id(Long.toString(view.sequence()))
                .event("status")
                .build();
    }

    /** The last event of a stream cut at its lifetime; its id is the last sequence sent, for Last-Event-ID. */
    private ServerSentEvent<ExecutionResponse> reconnect(long lastSequence) {
        var event = ServerSentEvent.<ExecutionResponse>builder()
                .event("reconnect")
                .comment("this stream reached its maximum lifetime of " + lifetime.toSeconds() + " s; reconnect with "
                        + "Last-Event-ID to go on after the last state it sent");
        return (lastSequence > 0 ? event.id(Long.toString(lastSequence)) : event).build();
    }
}
