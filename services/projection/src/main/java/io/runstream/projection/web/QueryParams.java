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
import org.springframework.web.server.ServerWebInputException;

/** The canonical API's query parameters, parsed into types; a bad value is a 400 that names the parameter. */
final class QueryParams {

    static final int MAX_LIMIT = 100;

    private QueryParams() {
    }

    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ServerWebInputException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    static ExecutionQuery.Order orderBy(String orderBy) {
        return switch (orderBy) {
            case "startedAt" -> ExecutionQuery.Order.STARTED_AT;
            case "finishedAt" -> ExecutionQuery.Order.FINISHED_AT;
            default -> throw new ServerWebInputException("orderBy must be startedAt or finishedAt");
        };
    }

    static boolean ascending(String order) {
        return switch (order.toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new ServerWebInputException("order must be asc or desc");
        };
    }

    static ExecutionQuery.Phase phase(String value) {
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

    static Set<ExecutionStatus> statuses(List<String> values) {
        Set<ExecutionStatus> statuses = EnumSet.noneOf(ExecutionStatus.class);
        if (values != null) {
            for (String value : values) {
                for (String name : value.split(",")) {
                    try {
                        statuses.add(ExecutionStatus.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new ServerWebInputException("status '" + name.strip() + "' is not one of "
                                + List.of(ExecutionStatus.values()));
                    }
                }
            }
        }
        return statuses;
    }

    static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ServerWebInputException(name + " must be an RFC 3339 timestamp such as 2026-11-23T10:00:00Z");
        }
    }

    /** What a long poll waits for: a terminal state, from {@code minSequence} on when it is given. */
    static WatchEnd minSequence(Long minSequence) {
        if (minSequence == null) {
            return WatchEnd.TERMINAL;
        }
        if (minSequence < 1) {
            throw new ServerWebInputException("minSequence must be at least 1");
        }
        return WatchEnd.terminalFrom(minSequence);
    }

    /** Where a live stream ends: at a terminal state, or with {@code followRedrives=true} at a final one. */
    static WatchEnd followRedrives(String value) {
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
