package io.runstream.projection.domain;

import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells watchers in this process which executions the view just changed, so live status and long polls answer at
 * once instead of at their next poll. Best effort: a watcher that misses a signal still polls.
 */
public final class ExecutionChanges {

    private final Sinks.Many<UUID> sink = Sinks.many().multicast().directBestEffort();

    public void changed(Collection<UUID> executionIds) {
        executionIds.forEach(sink::tryEmitNext);
    }

    public Flux<UUID> stream() {
        return sink.asFlux();
    }
}
