package io.runstream.api.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InputProblemsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A body like the services' command bodies. */
    record Command(String reason, Integer expectedAttempt) {
    }

    private static String problem(String body, Class<?> type) {
        Throwable failure = catchThrowable(() -> JSON.readValue(body, type));
        assertThat(failure).isNotNull();
        return InputProblems.describe(failure);
    }

    @Test
    void shouldSayWhichTypeTheBodyMustBeWithoutJavaNames() {
        assertThat(problem("\"x\"", Command.class)).isEqualTo("The body must be a JSON object, not a string");
        assertThat(problem("[1]", Command.class)).isEqualTo("The body must be a JSON object, not an array");
        assertThat(problem("true", Command.class)).isEqualTo("The body must be a JSON object, not true or false");
    }

    @Test
    void shouldNameTheFieldAndWhatItMustBe() {
        assertThat(problem("{\"reason\":[\"x\"]}", Command.class))
                .isEqualTo("'reason' must be a string, not an array");
        assertThat(problem("{\"expectedAttempt\":\"x\"}", Command.class))
                .startsWith("'expectedAttempt' must be a whole number");
    }

    @Test
    void shouldSayWhereTheSyntaxIsWrong() {
        assertThat(problem("{\"a\":", JsonNode.class)).startsWith("The body is not valid JSON: ")
                .contains("line 1").doesNotContain("tools.jackson", "`");
    }

    @Test
    void shouldNameTheNestingLimitWithoutTheParsersSettingName() {
        assertThat(problem("[".repeat(1_500) + "]".repeat(1_500), JsonNode.class))
                .isEqualTo("The JSON is nested too deeply: at most 1000 levels of arrays and objects are read");
    }

    @Test
    void shouldTakeJavaNamesOutOfAnyMessage() {
        assertThat(InputProblems.scrub("Cannot construct instance of `io.runstream.ingress.web.X$Y` (although at "
                + "least one Creator exists): no String-argument constructor (for Object starting at [Source: x])"))
                .isEqualTo("Cannot construct instance of the expected type: no String-argument constructor");
        assertThat(InputProblems.scrub("Content type 'text/plain' not supported for bodyType=io.runstream.ingress"
                + ".web.ExecutionControlController$CommandRequest")).doesNotContain("io.runstream", "$");
    }
}
