package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/** The DSL's durations: an ISO 8601 string (possibly from an expression) or an object of days..milliseconds. */
final class Durations {

    private Durations() {
    }

    /** The duration, or null when none is given; {@code evaluate} turns an expression into its value. */
    static Duration parse(JsonNode node, Function<String, JsonNode> evaluate, String at) {
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
        String text = Expressions.isExpression(node) ? evaluate.apply(node.asText()).asText() : node.asText();
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw WorkflowError.configuration(at, "Invalid duration",
                    "'" + text + "' is not an ISO 8601 duration such as PT5S or P1DT2H");
        }
    }
}
