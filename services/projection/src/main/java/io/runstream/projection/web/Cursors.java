package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Opaque page cursors: where the previous page ended, and for lists the ordering it was issued for, so a cursor
 * cannot silently be applied to a different ordering.
 */
final class Cursors {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longer than any cursor this API issues (and than a request line may be). */
    private static final int MAX_LENGTH = 4096;
    private static final Set<String> ORDERS = Arrays.stream(ExecutionQuery.Order.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    private Cursors() {
    }

    static String list(ExecutionQuery.Order order, boolean ascending, Instant at, UUID executionId) {
        return encode("L|" + order + "|" + (ascending ? "asc" : "desc") + "|" + micros(at) + "|" + executionId);
    }

    static ExecutionQuery.Position list(String cursor, ExecutionQuery.Order order, boolean ascending) {
        if (cursor == null) {
            return null;
        }
        String[] parts = decode(cursor).split("\\|", -1);
        if (parts.length != 5 || !parts[0].equals("L") || !ORDERS.contains(parts[1])
                || !parts[2].matches("asc|desc")) {
            throw invalid();
        }
        if (!parts[1].equals(order.name()) || !parts[2].equals(ascending ? "asc" : "desc")) {
            throw new InvalidCursorException("The cursor belongs to a listing ordered by " + parts[1] + " "
                    + parts[2] + "; repeat that orderBy and order, or start again without a cursor");
        }
        try {
            return new ExecutionQuery.Position(instant(parts[3]), UUID.fromString(parts[4]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** Where the page ended: its ordinal, then its time and key (which order entries written before ordinals). */
    static String history(HistoryEntry entry) {
        return encode("O|" + entry.ordinal() + "|" + micros(entry.at()) + "|" + entry.key());
    }

    /**
     * The position a history cursor holds; one issued before ordinals ({@code H|at|key}) stands among the entries
     * written before them, so a client paging through a deploy goes on where it was.
     */
    static HistoryEntry.Position history(String cursor) {
        if (cursor == null) {
            return null;
        }
        String raw = decode(cursor);
        String[] parts = raw.startsWith("H|") ? ("H|0|" + raw.substring(2)).split("\\|", 4)
                : raw.split("\\|", 4);
        if (parts.length != 4 || !(parts[0].equals("O") || parts[0].equals("H"))
                || !(parts[3].startsWith("s") || parts[3].startsWith("t")) || !parts[1].matches("[0-9]{1,18}")) {
            throw invalid();
        }
        try {
            return new HistoryEntry.Position(Long.parseLong(parts[1]), instant(parts[2]), parts[3]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static String micros(Instant at) {
        return at.getEpochSecond() + "." + at.getNano() / 1000;
    }

    /** Earliest and latest instants PostgreSQL's timestamptz can hold (roughly; a cursor outside is not ours). */
    private static final Instant FIRST = Instant.parse("-4700-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("+294000-01-01T00:00:00Z");

    private static Instant instant(String micros) {
        String[] parts = micros.split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException(micros);
        }
        long fraction = Long.parseLong(parts[1]);
        if (fraction < 0 || fraction >= 1_000_000) {
            throw new IllegalArgumentException(micros);
        }
        try {
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), fraction * 1000);
            if (at.isBefore(FIRST) || at.isAfter(LAST)) {
                throw new IllegalArgumentException(micros);
            }
            return at;
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(micros, e);
        }
    }

    private static String encode(String raw) {
        return ENCODER.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's text; one that is too long, not base64, or holds a NUL (no stored value can) is not ours. */
    private static String decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        String raw;
        try {
            raw = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.indexOf('\0') >= 0) {
            throw invalid();
        }
        return raw;
    }

    private static InvalidCursorException invalid() {
        return new InvalidCursorException("The cursor is not one this API issued; pass the nextCursor (Yandex: "
                + "nextPageToken) of a previous page unchanged");
    }
}
