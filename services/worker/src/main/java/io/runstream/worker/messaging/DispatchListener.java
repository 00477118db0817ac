package io.runstream.worker.messaging;

import io.runstream.schemas.internal.RunDispatched;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The runner's inbox: reports STARTED, runs the workflow without blocking the consumer thread, and reports the
 * outcome. The dispatch offset is committed only once the outcome is on the log.
 */
@Component
class DispatchListener {

    private final WorkflowRunner runner;
    private final KafkaTemplate<String, Object> template;
    private final String reportsTopic;
    private final Clock clock;

    DispatchListener(WorkflowRunner runner, KafkaTemplate<String, Object> template, WorkerProperties properties,
            Clock clock) {
        this.runner = runner;
        this.template = template;
        this.reportsTopic = properties.topics().reports();
        this.clock = clock;
    }

    @KafkaListener(topics = "${runstream.worker.topics.dispatch}")
    CompletableFuture<Void> onDispatch(RunDispatched dispatched) {
        RunOrder order = AvroMapper.toDomain(dispatched);
        return report(RunReport.started(order, clock.instant()))
                .thenCompose(started -> runner.run(order))
                .thenCompose(this::report);
    }

    private CompletableFuture<Void> report(RunReport report) {
        return template.send(reportsTopic, report.executionId(), AvroMapper.toAvro(report)).thenApply(sent -> null);
    }
}
