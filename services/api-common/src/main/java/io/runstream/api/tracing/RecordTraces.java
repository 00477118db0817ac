package io.runstream.api.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The trace an execution's records belong to. Every record about an execution carries the W3C {@code traceparent}
 * of the request that started it, in a Kafka header; a consumer that works on such a record does so under an
 * observation that continues that trace, so one execution is one trace. A record without the header is worked on
 * untraced: nothing is started for it.
 */
public final class RecordTraces {

    /** The W3C Trace Context header, on HTTP requests and on Kafka records alike. */
    public static final String TRACEPARENT = "traceparent";

    private final ObservationRegistry registry;

    public RecordTraces(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The record's traceparent, or null if it has none. */
    public static String traceparent(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(TRACEPARENT);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A started observation that continues the record's trace, or a no-op one if the record carries none. */
    public Observation start(String name, Headers headers) {
        if (registry.isNoop() || traceparent(headers) == null) {
            return Observation.NOOP;
        }
        ReceiverContext<Headers> context = new ReceiverContext<>((carrier, key) -> {
            Header header = carrier.lastHeader(key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        });
        context.setCarrier(headers);
        context.setRemoteServiceName("kafka");
        return Observation.createNotStarted(name, () -> context, registry).start();
    }

    /**
     * Does the work of a batch with one observation per traced record, each lasting until the batch is done (and
     * marked with the failure if it fails), so each record's span in its execution's trace covers its being applied.
     */
    public void observeAll(String name, List<? extends ConsumerRecord<?, ?>> records, Runnable work) {
        List<Observation> traced = startAll(name, records);
        Throwable failure = null;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            stopAll(traced, failure);
        }
    }

    /** One started observation per traced record of a batch; {@link #stopAll} them when the batch is done. */
    public List<Observation> startAll(String name, List<? extends ConsumerRecord<?, ?>> records) {
        List<Observation> started = new ArrayList<>();
        for (ConsumerRecord<?, ?> record : records) {
            Observation observation = start(name, record.headers());
            if (observation != Observation.NOOP) {
                started.add(observation);
            }
        }
        return started;
    }

    /** Stops each of them; with {@code failure}, each is marked as having failed with it first. */
    public static void stopAll(List<Observation> observations, Throwable failure) {
        for (Observation observation : observations) {
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }
}
