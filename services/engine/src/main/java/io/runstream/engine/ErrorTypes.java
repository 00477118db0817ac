package io.runstream.engine;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec's own error types are spelled three ways in use: {@code https://serverlessworkflow.io/spec/1.0.0/errors/X}
 * (the 1.0.x releases, which Runstream raises), {@code https://open-workflow-specification.org/spec/1.0.0/errors/X}
 * (the DSL reference on the spec's main) and {@code https://open-workflow-specification.org/dsl/errors/types/X} (the
 * spec kit). A catch names any of them and catches the error; any other type must be equal.
 */
final class ErrorTypes {

    private static final List<Pattern> SPELLINGS = List.of(
            Pattern.compile("https://(?:serverlessworkflow\\.io|open-workflow-specification\\.org)/spec/1\\.\\d+"
                    + "\\.\\d+/errors/([a-z-]+)"),
            Pattern.compile("https://open-workflow-specification\\.org/dsl/errors/types/([a-z-]+)"));

    private ErrorTypes() {
    }

    /** Whether two error types name the same error. */
    static boolean same(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        String kindA = specKind(a);
        return kindA != null && kindA.equals(specKind(b));
    }

    /** The spec error a type names ({@code communication}, {@code timeout}, ...), or null for another type. */
    private static String specKind(String type) {
        for (Pattern spelling : SPELLINGS) {
            Matcher matcher = spelling.matcher(type);
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        return null;
    }
}
