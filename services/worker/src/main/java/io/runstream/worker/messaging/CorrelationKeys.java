package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runstream.engine.CorrelationValues;
import io.runstream.engine.Subscription;
import java.util.List;

/**
 * The keys of the correlation index. A route is what an event carries that a listen can name exactly: its tenant and
 * its type ({@code *} for listens that filter the type by pattern or expression, or not at all). A shape is the
 * {@code from} expressions of a listen's correlations, sorted, as a JSON array; the values are what they give, as a
 * JSON array of their text. A listen is kept under route, shape, values, execution, number and filter, so an event
 * finds its listens by evaluating each shape of its route once and reading one key range, however many executions
 * listen.
 */
final class CorrelationKeys {

    /** Separates the parts of a key: a control character no tenant, type or JSON text holds. */
    static final char SEP = '\u001f';
    static final String ANY_TYPE = "*";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CorrelationKeys() {
    }

    static String route(String tenant, String type) {
        return tenant + SEP + (type == null ? ANY_TYPE : type);
    }

    /** The route a listen's index key starts with, which the records about it are keyed by. */
    static String routeOf(String indexKey) {
        int first = indexKey.indexOf(SEP);
        return indexKey.substring(0, indexKey.indexOf(SEP, first + 1));
    }

    static String tenantOf(String indexKey) {
        return indexKey.substring(0, indexKey.indexOf(SEP));
    }

    /** The key of one filter ({@code filter}, its number) of a listen in the index. */
    static String indexKey(String tenant, String executionId, Subscription subscription, int filter) {
        Subscription.Interest interest = subscription.interests().get(filter);
        return valuesKey(shapeKey(route(tenant, interest.type()), interest.correlations().keySet()),
                texts(interest.correlations().values())) + SEP + executionId + SEP + subscription.seq() + SEP
                + filter;
    }

    /** What stands for the execution in the index key of a workflow's {@code schedule.on}: no execution id has it. */
    static final String TRIGGER = "on:";

    /**
     * The key of filter {@code filter} of a workflow's {@code schedule.on}: under its route, with no correlation
     * (the scheduler groups the events of {@code all} by their values itself).
     */
    static String triggerKey(String tenant, String workflowKey, String type, int filter) {
        return valuesKey(shapeKey(route(tenant, type), List.of()), "[]") + SEP + TRIGGER + workflowKey + SEP + 0
                + SEP + filter;
    }

    static String shapeKey(String route, Iterable<String> froms) {
        ArrayNode shape = JSON.createArrayNode();
        froms.forEach(shape::add);
        return route + SEP + shape;
    }

    static String valuesKey(String shapeKey, String values) {
        return shapeKey + SEP + values;
    }

    /** The from expressions of a shape key. */
    static List<String> froms(String shapeKey) {
        JsonNode shape = ProgressMapper.read(shapeKey.substring(shapeKey.lastIndexOf(SEP) + 1));
        return java.util.stream.StreamSupport.stream(shape.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** What the event gives for a shape's expressions, or null when one of them fails on it. */
    static String values(List<String> froms, JsonNode event, CorrelationValues evaluator) {
        ArrayNode values = JSON.createArrayNode();
        for (String from : froms) {
            JsonNode value = evaluator.extract(from, event);
            if (value == null) {
                return null;
            }
            values.add(text(value));
        }
        return values.toString();
    }

    static String texts(Iterable<JsonNode> values) {
        ArrayNode texts = JSON.createArrayNode();
        values.forEach(v -> texts.add(text(v)));
        return texts.toString();
    }

    /** A value as the index compares it: text as itself, numbers and booleans as their text, the rest as JSON. */
    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
