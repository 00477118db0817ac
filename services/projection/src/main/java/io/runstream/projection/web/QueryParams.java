package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.WatchEnd;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebInputException;

/**
 * The read API's query parameters, parsed into types from the raw query: a bad value, or one given twice where a
 * single one is meant, is a 400 that names the parameter and says what is wrong, before anything reaches the database.
 */
final class QueryParams {

    static final int MAX_LIMIT = 100;
    /** The longest text filter; nothing stored under a longer one is searchable by it. */
    static final int MAX_TEXT = 256;
    /** The earliest and latest times a filter may name: RFC 3339's four-digit years, inside PostgreSQL's range. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final MultiValueMap<String, String> query;

    QueryParams(MultiValueMap<String, String> query) {
        this.query = query;
    }

    /** The one value of a parameter, null when absent; given more than once, refused rather than joined. */
    String single(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ServerWebInputException(name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    /** A text filter, null when absent. */
    String text(String name) {
        return text(name, single(name), MAX_TEXT);
    }

    static String text(String name, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new ServerWebInputException(name + " must be at most " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new ServerWebInputException(name + " must not contain control characters (such as NUL, tab or a "
                    + "line break)");
        }
        return value;
    }

    /** An execution id filter, null when absent; anything but a UUID names no execution, and is refused. */
    java.util.UUID uuid(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            return java.util.UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ServerWebInputException(name + " must be an execution id (a UUID)");
        }
    }

    /** A whole number from {@code min} to {@code max}, {@code absent} when the parameter is not given. */
    long number(String name, long min, long max, long absent) {
        return number(name, single(name), min, max, absent);
    }

    static long number(String name, String value, long min, long max, long absent) {
        if (value == null) {
            return absent;
        }
        String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // the same answer as out of range
        }
        throw new ServerWebInputException(name + " must be a whole number " + range);
    }

    int limit(int absent) {
        return (int) number("limit", 1, MAX_LIMIT, absent);
    }

    ExecutionQuery.Order orderBy() {
        String orderBy = single("orderBy");
        return switch (orderBy == null ? "startedAt" : orderBy) {
            case "startedAt" -> ExecutionQuery.Order.STARTED_AT;
            case "finishedAt" -> ExecutionQuery.Order.FINISHED_AT;
            default -> throw new ServerWebInputException("orderBy must be startedAt or finishedAt");
        };
    }

    boolean ascending() {
        String order = single("order");
        return switch (order == null ? "desc" : order.toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new ServerWebInputException("order must be asc or desc");
        };
    }

    ExecutionQuery.Phase phase() {
        String value = single("phase");
        if (value == null || value.isBlank()) {
            return ExecutionQuery.Phase.ANY;
        }
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "NONE" -> ExecutionQuery.Phase.NONE;
            case "WAITING" -> ExecutionQuery.Phase.WAITING;
            case "SUSPENDED" -> ExecutionQuery.Phase.SUSPENDED;
            default -> throw new ServerWebInputException("phase must be WAITING, SUSPENDED or NONE");
        };
    }

    /** Statuses, repeated or comma-separated (the one parameter that may be given more than once). */
    Set<ExecutionStatus> statuses() {
        Set<ExecutionStatus> statuses = EnumSet.noneOf(ExecutionStatus.class);
        for (String value : query.getOrDefault("status", List.of())) {
            for (String name : text("status", value, MAX_TEXT).split(",")) {
                try {
                    statuses.add(ExecutionStatus.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ServerWebInputException("status '" + name.strip() + "' is not one of "
                            + List.of(ExecutionStatus.values()));
                }
            }
        }
        return statuses;
    }

    Instant time(String name) {
        return time(name, single(name));
    }

    /** An RFC 3339 time the view can compare with, null when absent. */
    static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(value);
            if (!at.isBefore(EARLIEST) && !at.isAfter(LATEST)) {
                return at;
            }
        } catch (DateTimeParseException e) {
            // the same answer as out of range
        }
        throw new ServerWebInputException(name + " must be an RFC 3339 time from " + EARLIEST + " to "
                + "9999-12-31T23:59:59Z, such as 2026-11-23T10:00:00Z");
    }

    /** What a long poll waits for: a terminal state, from {@code minSequence} on when it is given. */
    WatchEnd minSequence() {
        long minSequence = number("minSequence", 1, Long.MAX_VALUE, 0);
        return minSequence == 0 ? WatchEnd.TERMINAL : WatchEnd.terminalFrom(minSequence);
    }

    /** Where a live stream ends: at a terminal state, or with {@code followRedrives=true} at a final one. */
    WatchEnd followRedrives() {
        String value = single("followRedrives");
        if (value == null) {
            return WatchEnd.TERMINAL;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> WatchEnd.followingRedrives();
            case "false" -> WatchEnd.TERMINAL;
            default -> throw new ServerWebInputException("followRedrives must be true or false");
        };
    }
}
