package io.runstream.worker.messaging;

import io.runstream.schemas.internal.RunDispatched;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The runner's inbox. A dispatch is acknowledged as soon as its STARTED report is on the log, and the run goes on in
 * the background, repeating STARTED as a heartbeat so its lease holds, until it reports the outcome. Holding the
 * dispatch offset for the length of a run would pause this consumer for every partition it owns (out-of-order acks
 * pause the consumer until the poll is committed), and is not needed: if this runner dies, its heartbeats stop, the
 * lease runs out and the state machine dispatches the next attempt. A cancel order stops the attempt instead.
 */
@Component
class DispatchListener {

    private static final Logger log = LoggerFactory.getLogger(DispatchListener.class);

    private final WorkflowRunner runner;
    private final KafkaTemplate<String, Object> template;
    private final String reportsTopic;
    private final Duration heartbeat;
    private final Clock clock;

    DispatchListener(WorkflowRunner runner, KafkaTemplate<String, Object> template, WorkerProperties properties,
            Clock clock) {
        this.runner = runner;
        this.template = template;
        this.reportsTopic = properties.topics().reports();
        this.heartbeat = properties.runs().heartbeatInterval();
        this.clock = clock;
    }

    @KafkaListener(topics = "${runstream.worker.topics.dispatch}")
    CompletableFuture<Void> onDispatch(RunDispatched dispatched) {
        RunOrder order = AvroMapper.toDomain(dispatched);
        if (order.cancel()) {
            boolean stopped = runner.cancel(order.executionId(), order.attempt());
            log.info("Stop of execution {} attempt {}: {}", order.executionId(), order.attempt(),
                    stopped ? "cancelled the run" : "not running in this runner");
            return CompletableFuture.completedFuture(null);
        }
        return report(RunReport.started(order, clock.instant())).thenRun(() -> launch(order));
    }

    private void launch(RunOrder order) {
        Disposable beats = Flux.interval(heartbeat)
                .concatMap(tick -> Mono.fromFuture(report(RunReport.started(order, clock.instant())))
                        .onErrorResume(e -> {
                            log.warn("Heartbeat of execution {} attempt {} not published: {}", order.executionId(),
                                    order.attempt(), e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
        runner.run(order).whenComplete((outcome, error) -> {
            beats.dispose();
            if (outcome != null) {
                report(outcome).whenComplete((sent, failure) -> {
                    if (failure != null) {
                        log.warn("Outcome of execution {} attempt {} not published ({}); its lease will run out and "
                                + "the next attempt will run it again", order.executionId(), order.attempt(),
                                failure.getMessage());
                    }
                });
            }
        });
    }

    /** Publishes a report; a send that fails at once (record too large, no metadata) fails the future too. */
    private CompletableFuture<Void> report(RunReport report) {
        try {
            return template.send(reportsTopic, report.executionId(), AvroMapper.toAvro(report))
                    .thenApply(sent -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
