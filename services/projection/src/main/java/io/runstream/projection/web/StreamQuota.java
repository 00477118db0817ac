package io.runstream.projection.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.projection.config.ProjectionProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Counts the event streams each API key holds open on this instance, so that one client cannot tie up the service
 * with streams; the count per key is the gauge {@code runstream.projection.streams}.
 */
@Component
class StreamQuota {

    /** How long a refused client is asked to wait: streams end at terminal states and at their lifetime. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int maxPerKey;
    private final MeterRegistry meters;
    /** By key name; the names are configured, so the map stays as small as the list of keys. */
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    @Autowired
    StreamQuota(ProjectionProperties properties, MeterRegistry meters) {
        this(properties.watch().maxStreamsPerKey(), meters);
    }

    StreamQuota(int maxPerKey, MeterRegistry meters) {
        this.maxPerKey = maxPerKey;
        this.meters = meters;
    }

    /**
     * Takes one of the key's streams, to be given back with {@link Permit#close()} when the stream ends.
     *
     * @throws TooManyStreamsException if the key holds its maximum already
     */
    Permit open(String keyName) {
        AtomicInteger count = open.computeIfAbsent(keyName, this::counter);
        if (count.getAndUpdate(n -> n < maxPerKey ? n + 1 : n) >= maxPerKey) {
            throw new TooManyStreamsException(maxPerKey);
        }
        return new Permit(count);
    }

    /** Streams the key holds open now. */
    int openStreams(String keyName) {
        AtomicInteger count = open.get(keyName);
        return count == null ? 0 : count.get();
    }

    private AtomicInteger counter(String keyName) {
        AtomicInteger count = new AtomicInteger();
        Gauge.builder("runstream.projection.streams", count, AtomicInteger::get)
                .description("Event streams open, by API key").tag("key", keyName).register(meters);
        return count;
    }

    /** One open stream; closing it again does nothing. */
    static final class Permit {

        private final AtomicInteger count;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit(AtomicInteger count) {
            this.count = count;
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }
}
