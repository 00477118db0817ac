package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code fork}: runs its branches concurrently. Without {@code compete} the output is the array of branch outputs in
 * declaration order and any branch's error fails the task (cancelling the others); with {@code compete} the first
 * branch to succeed wins and the others are cancelled, and the task fails only if every branch fails.
 */
final class ForkTask {

    private final WorkflowInterpreter interpreter;

    ForkTask(WorkflowInterpreter interpreter) {
        this.interpreter = interpreter;
    }

    Mono<Outcome> run(JsonNode task, JsonNode input, Frame frame) {
        JsonNode fork = task.get("fork");
        JsonNode branches = fork.path("branches");
        List<Mono<JsonNode>> runs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            Map.Entry<String, JsonNode> branch = branches.get(i).properties().iterator().next();
            runs.add(interpreter.runTask(branch.getKey(), branch.getValue(), input,
                    frame.child("fork/branches/" + i + "/" + branch.getKey())).map(Outcome::output));
        }
        if (runs.isEmpty()) {
            return Mono.just(Outcome.next(JsonNodeFactory.instance.arrayNode()));
        }
        if (fork.path("compete").asBoolean(false)) {
            return Mono.firstWithValue(runs).onErrorMap(ForkTask::firstWorkflowError).map(Outcome::next);
        }
        return Flux.mergeSequential(runs).collectList().map(outputs -> {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            outputs.forEach(array::add);
            return Outcome.next(array);
        });
    }

    /** When every competing branch fails, the first branch's own error is the one that counts. */
    private static Throwable firstWorkflowError(Throwable failure) {
        List<Throwable> causes = new ArrayList<>(Exceptions.unwrapMultiple(failure));
        causes.addAll(List.of(failure.getSuppressed()));
        if (failure.getCause() != null) {
            // Mono.firstWithValue puts the branches' errors in a composite cause.
            causes.addAll(Exceptions.unwrapMultiple(failure.getCause()));
            causes.addAll(List.of(failure.getCause().getSuppressed()));
        }
        return causes.stream().filter(WorkflowError.class::isInstance).findFirst().orElse(failure);
    }
}
