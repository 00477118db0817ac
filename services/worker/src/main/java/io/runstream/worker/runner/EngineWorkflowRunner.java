package io.runstream.worker.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.domain.RunReport;
import io.runstream.worker.domain.WorkflowRunner;
import io.runstream.worker.engine.HttpCaller;
import io.runstream.worker.engine.WorkflowError;
import io.runstream.worker.engine.WorkflowInterpreter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the definition an execution was started with through the workflow engine, off the consumer thread, and keeps
 * a handle on each run so a stop can cancel it mid-task. An uncaught timeout ends the attempt TIMED_OUT, any other
 * workflow error FAILED; nothing is reported as success unless the run completed.
 */
@Component
class EngineWorkflowRunner implements WorkflowRunner {

    /** YAML is a superset of JSON, so one reader takes definitions in either format. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkflowInterpreter interpreter;
    private final TaskHistory history;
    private final Clock clock;
    /** Outputs travel in one Kafka record (1 MB by default) with the rest of the event. */
    private static final int MAX_OUTPUT_CHARS = 900_000;

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    EngineWorkflowRunner(HttpCaller http, TaskHistory history, Clock clock) {
        this.interpreter = new WorkflowInterpreter(http, clock);
        this.history = history;
        this.clock = clock;
    }

    @Override
    public CompletionStage<RunReport> run(RunOrder order) {
        String key = key(order.executionId(), order.attempt());
        for (int earlier = 1; earlier < order.attempt(); earlier++) {
            // A later attempt means the state machine gave up on this one (its lease ran out): stop it here.
            cancel(order.executionId(), earlier);
        }
        Running run = new Running(Disposables.swap(), new CompletableFuture<>());
        Running already = running.putIfAbsent(key, run);
        if (already != null) {
            // The same dispatch delivered again: one run per attempt; the caller waits on the first.
            return already.result();
        }
        run.handle().update(Mono.fromCallable(() -> execute(order)).flatMap(report -> report)
                .onErrorResume(e -> Mono.just(RunReport.failed(order,
                        new ExecutionError("RUNNER_ERROR", String.valueOf(e.getMessage())), clock.instant())))
                .map(report -> limitOutput(order, report))
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> running.remove(key, run))
                .subscribe(run.result()::complete));
        return run.result();
    }

    @Override
    public boolean cancel(String executionId, int attempt) {
        Running run = running.remove(key(executionId, attempt));
        if (run == null) {
            return false;
        }
        run.handle().dispose();
        run.result().complete(null);
        return true;
    }

    private Mono<RunReport> execute(RunOrder order) throws java.io.IOException {
        if (order.definition() == null) {
            return Mono.just(RunReport.failed(order, new ExecutionError("WORKFLOW_DEFINITION_MISSING",
                    "ExecutionRequested carried no workflow definition; start executions through the ingress, or "
                            + "include the definition when producing straight to the commands topic"),
                    clock.instant()));
        }
        JsonNode definition = YAML.readTree(order.definition());
        JsonNode input = JSON.readTree(order.inputJson());
        return interpreter.run(definition, input, step -> history.record(order, step))
                .map(output -> RunReport.succeeded(order, write(output), clock.instant()))
                .onErrorResume(WorkflowError.class, e -> Mono.just(e.isTimeout()
                        ? RunReport.timedOut(order, new ExecutionError("WORKFLOW_TIMEOUT", describe(e)),
                                clock.instant())
                        : RunReport.failed(order, new ExecutionError("WORKFLOW_ERROR", describe(e)), clock.instant())));
    }

    /** An output too big for one Kafka record could never be reported; the run fails instead of being re-run. */
    private RunReport limitOutput(RunOrder order, RunReport report) {
        if (report.outputJson() != null && report.outputJson().length() > MAX_OUTPUT_CHARS) {
            return RunReport.failed(order, new ExecutionError("OUTPUT_TOO_LARGE", "The workflow output is "
                    + report.outputJson().length() + " characters; at most " + MAX_OUTPUT_CHARS
                    + " fit in a status event. Shape it with output.as"), clock.instant());
        }
        return report;
    }

    private static String write(JsonNode output) {
        try {
            return JSON.writeValueAsString(output);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String executionId, int attempt) {
        return executionId + "#" + attempt;
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

    /** A run in progress: the handle that cancels it and the future its caller waits on. */
    private record Running(Disposable.Swap handle, CompletableFuture<RunReport> result) {
    }
}
