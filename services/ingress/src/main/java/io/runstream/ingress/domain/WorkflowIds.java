package io.runstream.ingress.domain;

import java.util.regex.Pattern;

/**
 * What a workflow id may be: 1 to 128 characters, ASCII letters, digits, {@code .}, {@code _} and {@code -},
 * beginning with a letter or a digit, so that every id is one plain URL path segment and one plain log token.
 */
public final class WorkflowIds {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "1 to " + MAX_LENGTH + " characters: ASCII letters, digits, '.', '_' and '-', "
            + "beginning with a letter or a digit";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private WorkflowIds() {
    }

    public static boolean isValid(String workflowId) {
        return workflowId != null && VALID.matcher(workflowId).matches();
    }

    /**
     * The id in quotes for a message: cut after 40 characters, with control characters shown as escapes (a
     * backslash, u and four hex digits), so that whatever a caller sent makes one plain line.
     */
    public static String quoted(String workflowId) {
        String cut = workflowId.length() > 40
                ? workflowId.substring(0, 40) + "... (" + workflowId.length() + " characters)" : workflowId;
        StringBuilder out = new StringBuilder("'");
        cut.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.append("'").toString();
    }
}
