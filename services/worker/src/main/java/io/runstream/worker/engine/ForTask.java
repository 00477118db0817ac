package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code for}: runs the task list once per item of a collection, with the item and its index in named variables
 * ({@code $item} and {@code $index} unless renamed); each iteration takes the previous one's output, and
 * {@code while} is checked before each iteration.
 */
final class ForTask {

    private final WorkflowInterpreter interpreter;

    ForTask(WorkflowInterpreter interpreter) {
        this.interpreter = interpreter;
    }

    Mono<Outcome> run(JsonNode task, JsonNode input, Frame frame) {
        JsonNode loop = task.get("for");
        String each = loop.path("each").asText("item");
        String at = loop.path("at").asText("index");
        List<JsonNode> items = items(frame.evaluate(loop.path("in").asText(), input, frame.at() + "/for/in"), frame);
        JsonNode condition = task.get("while");
        return Mono.just(new Iteration(0, input, null))
                .expand(it -> it.exit() != null ? Mono.empty() : Mono.defer(() -> {
                    if (it.index() >= items.size()) {
                        return Mono.just(new Iteration(it.index(), it.output(), Outcome.CONTINUE));
                    }
                    Frame inner = frame.with(each, items.get(it.index())).with(at, IntNode.valueOf(it.index()));
                    if (condition != null && !inner.test(condition, it.output(), frame.at() + "/while")) {
                        return Mono.just(new Iteration(it.index(), it.output(), Outcome.CONTINUE));
                    }
                    return interpreter.runList(task.get("do"), it.output(), inner.child("do"))
                            .map(outcome -> new Iteration(it.index() + 1, outcome.output(),
                                    outcome.ends() ? Outcome.END : null));
                }))
                .last()
                .map(it -> new Outcome(it.output(), it.exit()));
    }

    private static List<JsonNode> items(JsonNode collection, Frame frame) {
        List<JsonNode> items = new ArrayList<>();
        if (collection == null || collection.isNull()) {
            return items;
        }
        if (!collection.isArray() && !collection.isObject()) {
            throw WorkflowError.expression(frame.at() + "/for/in",
                    "for.in must give an array or an object, not " + collection.getNodeType());
        }
        collection.forEach(items::add);
        return items;
    }

    /** Where the loop stands: the next index, the data so far, and the directive it finished with. */
    private record Iteration(int index, JsonNode output, String exit) {
    }
}
