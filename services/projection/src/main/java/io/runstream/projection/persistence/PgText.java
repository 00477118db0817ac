package io.runstream.projection.persistence;

import io.runstream.projection.domain.UnstorableDataException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.dao.DataAccessException;

/**
 * What PostgreSQL can store, and what it refused: its text types cannot hold the NUL character, which user data may
 * carry, so identifiers and messages are stored with it shown as U+FFFD; a refusal for the data itself (SQLSTATE
 * classes 22, data exception, and 54, program limit exceeded) is told apart from the database being away.
 */
final class PgText {

    private static final char NUL = '\0';
    private static final char REPLACEMENT = '\uFFFD';

    private PgText() {
    }

    /** The text with any NUL shown as U+FFFD. */
    static String clean(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /** The map with NUL shown as U+FFFD in its keys and values. */
    static Map<String, String> clean(Map<String, String> map) {
        boolean dirty = map.entrySet().stream().anyMatch(e -> e.getKey().indexOf(NUL) >= 0
                || e.getValue() != null && e.getValue().indexOf(NUL) >= 0);
        if (!dirty) {
            return map;
        }
        Map<String, String> cleaned = new LinkedHashMap<>();
        map.forEach((k, v) -> cleaned.put(clean(k), clean(v)));
        return cleaned;
    }

    /** The failure as the domain's refusal when the database refused the data, otherwise as it is. */
    static RuntimeException translate(DataAccessException failure) {
        String state = sqlState(failure);
        if (state != null && (state.startsWith("22") || state.startsWith("54"))) {
            return new UnstorableDataException("PostgreSQL refused the data (SQLSTATE " + state + "): "
                    + rootMessage(failure), failure);
        }
        return failure;
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return clean(message.length() > 300 ? message.substring(0, 300) + "..." : message);
    }
}
