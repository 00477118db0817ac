package io.runstream.worker.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The DSL's durations: an ISO 8601 string (possibly from an expression) or an object of days..milliseconds. */
final class Durations {

    private Durations() {
    }

    static Duration parse(JsonNode node, JsonNode input, Frame frame, String at) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            return Duration.ofDays(node.path("days").asLong())
                    .plusHours(node.path("hours").asLong())
                    .plusMinutes(node.path("minutes").asLong())
                    .plusSeconds(node.path("seconds").asLong())
                    .plusMillis(node.path("milliseconds").asLong());
        }
        String text = Expressions.isExpression(node) ? frame.evaluate(node.asText(), input, at).asText()
                : node.asText();
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw WorkflowError.configuration(at, "Invalid duration",
                    "'" + text + "' is not an ISO 8601 duration such as PT5S or P1DT2H");
        }
    }
}
