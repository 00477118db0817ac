package io.runstream.worker.messaging;

import io.runstream.schemas.internal.RunDispatched;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The runner's inbox: reports STARTED, runs the workflow without blocking the consumer thread, repeats STARTED as a
 * heartbeat while it runs so the lease holds, and reports the outcome. A cancel order stops the attempt instead. The
 * dispatch offset is committed only once the outcome is on the log.
 */
@Component
class DispatchListener {

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
            runner.cancel(order.executionId(), order.attempt());
            return CompletableFuture.completedFuture(null);
        }
        return report(RunReport.started(order, clock.instant()))
                .thenCompose(started -> {
                    Disposable beats = Flux.interval(heartbeat)
                            .subscribe(tick -> report(RunReport.started(order, clock.instant())));
                    return runner.run(order).whenComplete((report, error) -> beats.dispose());
                })
                .thenCompose(report -> report == null ? CompletableFuture.completedFuture(null) : report(report));
    }

    private CompletableFuture<Void> report(RunReport report) {
        return template.send(reportsTopic, report.executionId(), AvroMapper.toAvro(report)).thenApply(sent -> null);
    }
}
