package io.runstream.worker.runner;

import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in workflow every execution runs until the Serverless Workflow engine lands: it echoes its input as
 * its output, and fails with WORKFLOW_ERROR when the input has a top-level {@code "raise"} message.
 */
@Component
class BuiltInWorkflowRunner implements WorkflowRunner {

    private final JsonMapper json;
    private final Clock clock;

    BuiltInWorkflowRunner(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletionStage<RunReport> run(RunOrder order) {
        return Mono.fromCallable(() -> execute(order))
                .onErrorResume(e -> Mono.just(RunReport.failed(order,
                        new ExecutionError("RUNNER_ERROR", String.valueOf(e.getMessage())), clock.instant())))
                .toFuture();
    }

    private RunReport execute(RunOrder order) {
        JsonNode input = json.readTree(order.inputJson());
        if (input.hasNonNull("raise")) {
            return RunReport.failed(order, new ExecutionError("WORKFLOW_ERROR", input.get("raise").asString()),
                    clock.instant());
        }
        return RunReport.succeeded(order, json.writeValueAsString(input), clock.instant());
    }
}
