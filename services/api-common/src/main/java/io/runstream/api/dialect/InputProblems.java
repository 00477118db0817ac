package io.runstream.api.dialect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Says in plain words what was wrong with a request body and where: the JSON path and the type expected and found,
 * the line and column of a syntax error, the limit a document went past. Parsers name Java types and their own
 * settings; none of that reaches a caller.
 */
final class InputProblems {

    /** A Java type or member as parsers quote it: {@code `io.runstream.X$Y`}, {@code `java.lang.String`}. */
    private static final Pattern QUOTED_JAVA = Pattern.compile("`[A-Za-z_$][\\w$]*(\\.[\\w$]+)+(\\(\\))?`");
    private static final Pattern BARE_JAVA = Pattern.compile(
            "\\b(java|javax|jakarta|reactor|tools\\.jackson|com\\.fasterxml|org\\.springframework|io\\.runstream|"
                    + "io\\.serverlessworkflow|io\\.netty|org\\.yaml)(\\.[\\w$]+)+");

    private InputProblems() {
    }

    /** The problem with the body, from the parser's failure under {@code failure}; null if there is none. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MismatchedInputException mismatch) {
                return mismatch(mismatch);
            }
            if (t instanceof StreamConstraintsException limit) {
                return limit(limit);
            }
            if (t instanceof StreamReadException syntax) {
                return "The body is not valid JSON: " + firstLine(scrub(syntax.getOriginalMessage()))
                        + location(syntax);
            }
            if (t instanceof JacksonException other) {
                return "The body could not be read" + where(other) + ": " + firstLine(scrub(other.getOriginalMessage()));
            }
        }
        return null;
    }

    /** The text without Java type names: what a parser or framework message says, in words a caller can use. */
    static String scrub(String text) {
        if (text == null) {
            return "";
        }
        String plain = QUOTED_JAVA.matcher(text).replaceAll("the expected type")
                .replace(" (although at least one Creator exists)", "");
        int source = plain.indexOf(" (for ");
        if (source > 0) {
            plain = plain.substring(0, source);
        }
        return BARE_JAVA.matcher(plain).replaceAll("the expected type");
    }

    private static String mismatch(MismatchedInputException mismatch) {
        String where = mismatch.getPath().isEmpty() ? "The body" : "'" + path(mismatch) + "'";
        String found = token(mismatch.getCurrentToken());
        return where + " must be " + kind(mismatch.getTargetType()) + (found == null ? "" : ", not " + found);
    }

    private static String limit(StreamConstraintsException limit) {
        String message = String.valueOf(limit.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "The JSON is nested too deeply: at most 1000 levels of arrays and objects are read";
        }
        if (message.contains("length")) {
            return "A value in the JSON is too long: " + firstLine(scrub(message.replaceAll(" \\(.*", "")));
        }
        return "The JSON goes past a limit: " + firstLine(scrub(message.replaceAll(" \\(.*", "")));
    }

    private static String where(JacksonException e) {
        return e.getPath().isEmpty() ? "" : " at '" + path(e) + "'";
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String location(JacksonException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr()
                + ")";
    }

    private static String kind(Class<?> type) {
        if (type == null || JsonNode.class.isAssignableFrom(type)) {
            return "JSON";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return Map.class.isAssignableFrom(type) || !type.isPrimitive() ? "a JSON object" : "a value";
    }

    private static String token(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
