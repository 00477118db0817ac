package io.runstream.worker.messaging;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.runstream.api.tracing.RecordTraces;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.worker.runner.ActivityRunner;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The runner's inbox: performs each dispatched activity in the background and reports its result. Each polled batch
 * is committed before any of its activities starts, so a runner that dies or freezes never has its started
 * activities delivered to another runner: what it had in flight is lost, its leases run out in the worker, and only
 * those activities are dispatched again (with the same Idempotency-Key). A dispatch whose deadline passed is dropped, since the worker
 * dispatches it again anyway. At {@code max-in-flight} activities the listener pauses, so a burst queues in Kafka,
 * not in this heap.
 */
@Component
class ActivityListener {

    static final String ID = "activities";
    private static final Logger log = LoggerFactory.getLogger(ActivityListener.class);

    private final ActivityRunner runner;
    private final KafkaTemplate<String, Object> template;
    private final KafkaListenerEndpointRegistry registry;
    private final String reportsTopic;
    private final int maxInFlight;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final RecordTraces traces;

    ActivityListener(ActivityRunner runner, KafkaTemplate<String, Object> template,
            KafkaListenerEndpointRegistry registry, WorkerProperties properties, Clock clock,
            io.micrometer.core.instrument.MeterRegistry meters, RecordTraces traces) {
        this.runner = runner;
        this.traces = traces;
        io.micrometer.core.instrument.Gauge.builder("runstream.activities.in.flight", inFlight, AtomicInteger::get)
                .description("Activities (HTTP calls) this runner is performing now").register(meters);
        this.template = template;
        this.registry = registry;
        this.reportsTopic = properties.topics().reports();
        this.maxInFlight = properties.activities().maxInFlight();
        this.clock = clock;
    }

    /**
     * Commits the batch (up to any unreadable record) with the consumer itself, so a commit refused because this
     * runner is no longer in its group fails the batch before anything runs: another runner has those dispatches.
     */
    @KafkaListener(id = ID, idIsGroup = false, topics = "${runstream.worker.topics.dispatch}", batch = "true")
    void onDispatch(List<ConsumerRecord<String, ActivityDispatched>> batch, Consumer<?, ?> consumer) {
        int poison = -1;
        for (int i = 0; i < batch.size() && poison < 0; i++) {
            poison = batch.get(i).value() == null ? i : -1;
        }
        int readableCount = poison < 0 ? batch.size() : poison;
        int room = Math.max(0, maxInFlight - inFlight.get());
        if (readableCount > room) {
            // at the cap: take what fits, read the rest again once activities finish
            container().pause();
            rewind(batch.subList(room, readableCount), consumer);
            readableCount = room;
            poison = -1;
            if (inFlight.get() < maxInFlight / 2 + 1) {
                // everything in flight ended before the pause took: nothing else would resume it
                container().resume();
            }
        }
        List<ConsumerRecord<String, ActivityDispatched>> readable = batch.subList(0, readableCount);
        if (!readable.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            readable.forEach(r -> offsets.put(new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1)));
            try {
                consumer.commitSync(offsets);
            } catch (KafkaException e) {
                // Not committed: the partitions may be another runner's now, and it will deliver these there.
                // Retrying here could run them twice; read them again only where they are still ours.
                log.info("Dispatches not committed ({}); leaving them to the partitions' owner", e.getMessage());
                rewind(readable, consumer);
                return;
            }
        }
        readable.forEach(this::perform);
        if (poison >= 0) {
            // the error handler dead-letters it and delivers the rest of the batch again
            throw new BatchListenerFailedException("Unreadable dispatch", batch.get(poison));
        }
    }

    private static void rewind(List<ConsumerRecord<String, ActivityDispatched>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> first = new HashMap<>();
        records.forEach(r -> first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min));
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void perform(ConsumerRecord<String, ActivityDispatched> record) {
        ActivityDispatched dispatched = record.value();
        org.slf4j.MDC.put("executionId", dispatched.getExecutionId());
        org.slf4j.MDC.put("tenant", dispatched.getTenant());
        try {
            start(dispatched, record.headers());
        } finally {
            org.slf4j.MDC.remove("executionId");
            org.slf4j.MDC.remove("tenant");
        }
    }

    /**
     * Starts the call under an observation that continues the execution's trace (from the dispatch's
     * {@code traceparent}), so the call's own span is in that trace and the callee gets its traceparent.
     */
    private void start(ActivityDispatched dispatched, Headers headers) {
        if (clock.millis() > dispatched.getDeadline().toEpochMilli()) {
            log.debug("Dropped expired dispatch {} of activity {} of execution {}", dispatched.getDispatch(),
                    dispatched.getActivity(), dispatched.getExecutionId());
            return;
        }
        inFlight.incrementAndGet();
        Observation activity = traces.start("runstream.activity", headers);
        runner.perform(AvroMapper.toDomain(dispatched), dispatched.getIdempotencyKey())
                .map(response -> new ActivityResult(dispatched.getExecutionId(), dispatched.getActivity(),
                        dispatched.getDispatch(), response))
                .doFinally(signal -> {
                    activity.stop();
                    done();
                })
                .contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, activity))
                .subscribe(this::report);
    }

    private void report(ActivityResult result) {
        try {
            template.send(reportsTopic, result.executionId(), AvroMapper.toAvro(result, clock.instant()))
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            warnUnreported(result, failure);
                        }
                    });
        } catch (RuntimeException e) {
            warnUnreported(result, e);
        }
    }

    private void done() {
        if (inFlight.decrementAndGet() < maxInFlight / 2 + 1 && container().isPauseRequested()) {
            container().resume();
        }
    }

    private MessageListenerContainer container() {
        return registry.getListenerContainer(ID);
    }

    private static void warnUnreported(ActivityResult result, Throwable failure) {
        log.warn("Result of activity {} of execution {} not published ({}); its lease will run out and it will be "
                + "dispatched again", result.activity(), result.executionId(), failure.getMessage());
    }
}
