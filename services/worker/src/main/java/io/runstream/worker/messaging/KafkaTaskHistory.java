package io.runstream.worker.messaging;

import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.engine.TaskStep;
import io.runstream.worker.runner.TaskHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes each task step as an ExecutionTaskEnded event keyed by execution id, unless task history is switched
 * off. History is progress reporting: a step that cannot be published is logged, and the run goes on.
 */
@Component
class KafkaTaskHistory implements TaskHistory {

    private static final Logger log = LoggerFactory.getLogger(KafkaTaskHistory.class);

    private final KafkaTemplate<String, Object> template;
    private final String topic;
    private final boolean enabled;

    KafkaTaskHistory(KafkaTemplate<String, Object> template, WorkerProperties properties) {
        this.template = template;
        this.topic = properties.topics().tasks();
        this.enabled = properties.runs().taskHistory();
    }

    @Override
    public void record(RunOrder order, TaskStep step) {
        if (enabled) {
            try {
                template.send(topic, order.executionId(), AvroMapper.toAvro(order, step))
                        .whenComplete((sent, error) -> {
                            if (error != null) {
                                warn(order, step, error);
                            }
                        });
            } catch (RuntimeException e) {
                warn(order, step, e);
            }
        }
    }

    private static void warn(RunOrder order, TaskStep step, Throwable error) {
        log.warn("Task step {} of execution {} not recorded: {}", step.position(), order.executionId(),
                error.getMessage());
    }
}
