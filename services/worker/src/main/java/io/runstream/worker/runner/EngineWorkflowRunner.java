package io.runstream.worker.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import io.runstream.worker.engine.WorkflowError;
import io.runstream.worker.engine.WorkflowInterpreter;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the definition an execution was started with through the workflow engine, off the consumer thread. A
 * workflow error becomes the execution's error; nothing is reported as success unless the run completed.
 */
@Component
class EngineWorkflowRunner implements WorkflowRunner {

    /** YAML is a superset of JSON, so one reader takes definitions in either format. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkflowInterpreter interpreter = new WorkflowInterpreter();
    private final Clock clock;

    EngineWorkflowRunner(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<RunReport> run(RunOrder order) {
        return Mono.fromCallable(() -> execute(order))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> Mono.just(RunReport.failed(order,
                        new ExecutionError("RUNNER_ERROR", String.valueOf(e.getMessage())), clock.instant())))
                .toFuture();
    }

    private RunReport execute(RunOrder order) throws Exception {
        if (order.definition() == null) {
            return RunReport.failed(order, new ExecutionError("WORKFLOW_DEFINITION_MISSING",
                    "ExecutionRequested carried no workflow definition; start executions through the ingress, or "
                            + "include the definition when producing straight to the commands topic"),
                    clock.instant());
        }
        JsonNode definition = YAML.readTree(order.definition());
        JsonNode input = JSON.readTree(order.inputJson());
        try {
            JsonNode output = interpreter.run(definition, input);
            return RunReport.succeeded(order, JSON.writeValueAsString(output), clock.instant());
        } catch (WorkflowError e) {
            return RunReport.failed(order, new ExecutionError("WORKFLOW_ERROR", describe(e)), clock.instant());
        }
    }

    private static String describe(WorkflowError e) {
        StringBuilder message = new StringBuilder();
        message.append(e.title() == null ? "Workflow error" : e.title());
        if (e.detail() != null) {
            message.append(": ").append(e.detail());
        }
        message.append(" (status ").append(e.status());
        if (e.type() != null) {
            message.append(", type ").append(e.type());
        }
        message.append(", at ").append(e.instance()).append(')');
        return message.toString();
    }
}
