package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * {@code for}: the body once per item of {@code in} (an array, or an object's values), with the item and its index in
 * the variables {@code each} and {@code at} name; {@code while} is checked before each iteration, and each iteration
 * takes the previous one's output. An {@code end} inside ends the loop and the run.
 */
final class ForHandler implements TaskHandler<Task.ForTask> {

    @Override
    public void enter(Step step, Fiber fiber, Task.ForTask task, JsonNode input) {
        JsonNode collection = step.evaluate(fiber, task.in(), input, task.at() + "/for/in", Map.of());
        step.push(fiber, new Frame.ForFrame(task.at(), items(collection, task.at()), 0, input));
        iterate(step, fiber, task);
    }

    @Override
    public void returned(Step step, Fiber fiber, Task.ForTask task, Frame frame, JsonNode output, Flow flow) {
        if (flow instanceof Flow.End) {
            step.pop(fiber);
            step.signal(fiber, new Signal.Return(output, Flow.END));
            return;
        }
        Frame.ForFrame loop = (Frame.ForFrame) frame;
        step.replaceTop(fiber, new Frame.ForFrame(loop.at(), loop.items(), loop.index() + 1, output));
        iterate(step, fiber, task);
    }

    private static void iterate(Step step, Fiber fiber, Task.ForTask task) {
        Frame.ForFrame loop = (Frame.ForFrame) fiber.top();
        if (loop.index() >= loop.items().size() || task.whileCondition() != null
                && !step.test(fiber, task.whileCondition(), loop.data(), loop.at() + "/while", Map.of())) {
            step.pop(fiber);
            step.signal(fiber, new Signal.Return(loop.data(), Flow.CONTINUE));
            return;
        }
        step.startList(fiber, task.body(), loop.data());
    }

    private static ArrayNode items(JsonNode collection, String at) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        if (collection == null || collection.isNull()) {
            return items;
        }
        if (!collection.isArray() && !collection.isObject()) {
            throw WorkflowError.expression(at + "/for/in",
                    "for.in must give an array or an object, not " + collection.getNodeType());
        }
        collection.forEach(items::add);
        return items;
    }
}
