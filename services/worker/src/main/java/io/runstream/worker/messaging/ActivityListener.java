package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.worker.runner.ActivityRunner;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * The runner's inbox: performs each dispatched activity in the background and reports its result. A dispatch is
 * acknowledged on receipt; if this runner dies mid-activity, the activity's lease runs out in the worker and it is
 * dispatched again, so only that activity is lost. A dispatch whose deadline passed is dropped, since the worker
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

    ActivityListener(ActivityRunner runner, KafkaTemplate<String, Object> template,
            KafkaListenerEndpointRegistry registry, WorkerProperties properties, Clock clock) {
        this.runner = runner;
        this.template = template;
        this.registry = registry;
        this.reportsTopic = properties.topics().reports();
        this.maxInFlight = properties.activities().maxInFlight();
        this.clock = clock;
    }

    @KafkaListener(id = ID, topics = "${runstream.worker.topics.dispatch}")
    void onDispatch(ActivityDispatched dispatched) {
        if (clock.millis() > dispatched.getDeadline().toEpochMilli()) {
            log.debug("Dropped expired dispatch {} of activity {} of execution {}", dispatched.getDispatch(),
                    dispatched.getActivity(), dispatched.getExecutionId());
            return;
        }
        if (inFlight.incrementAndGet() >= maxInFlight) {
            container().pause();
        }
        runner.perform(AvroMapper.toDomain(dispatched), dispatched.getIdempotencyKey())
                .map(response -> new ActivityResult(dispatched.getExecutionId(), dispatched.getActivity(),
                        dispatched.getDispatch(), response))
                .doFinally(signal -> done())
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
        if (inFlight.decrementAndGet() < maxInFlight && container().isPauseRequested()) {
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
