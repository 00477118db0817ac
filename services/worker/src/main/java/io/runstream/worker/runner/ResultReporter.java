package io.runstream.worker.runner;

import io.runstream.worker.domain.ActivityResult;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends an activity's result back to its execution. A result that cannot be sent is only logged: its lease runs out
 * in the worker, which dispatches the activity again.
 */
final class ResultReporter {

    private static final Logger log = LoggerFactory.getLogger(ResultReporter.class);

    private final KafkaTemplate<String, Object> template;
    private final String reportsTopic;
    private final Clock clock;

    ResultReporter(KafkaTemplate<String, Object> template, String reportsTopic, Clock clock) {
        this.template = template;
        this.reportsTopic = reportsTopic;
        this.clock = clock;
    }

    void report(ActivityResult result) {
        try {
            template.send(reportsTopic, result.executionId(), ActivityRecords.toAvro(result, clock.instant()))
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            warnUnreported(result, failure);
                        }
                    });
        } catch (RuntimeException e) {
            warnUnreported(result, e);
        }
    }

    private static void warnUnreported(ActivityResult result, Throwable failure) {
        log.warn("Result of activity {} of execution {} not published ({}); its lease will run out and it will be "
                + "dispatched again", result.activity(), result.executionId(), failure.getMessage());
    }
}
