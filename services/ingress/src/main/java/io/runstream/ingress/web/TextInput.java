package io.runstream.ingress.web;

import org.springframework.web.server.ServerWebInputException;

/**
 * Checks an identifier-like text a caller sends (a source system, an external reference, an idempotency key): not
 * blank, within its length, and free of control characters, which no such value needs and which PostgreSQL's text
 * cannot hold (NUL) or which would forge log lines (CR, LF).
 */
final class TextInput {

    private TextInput() {
    }

    static String check(String field, String value, int maxLength) {
        if (value.isBlank() || value.length() > maxLength) {
            throw new ServerWebInputException(field + " must be a non-empty string of at most " + maxLength
                    + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ServerWebInputException(field + " must not contain control characters (found U+"
                        + String.format("%04X", (int) value.charAt(i)) + " at character " + (i + 1) + ")");
            }
        }
        return value;
    }
}
