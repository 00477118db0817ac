package io.runstream.projection.web;

import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebInputException;

/**
 * The Yandex {@code filter} of Execution.List: conditions {@code field op value} joined by {@code AND}, on
 * {@code status} ({@code =}) and {@code started_at} / {@code finished_at} ({@code <}, {@code >}, RFC 3339).
 */
record YandexFilter(Set<ExecutionStatus> statuses, ExecutionQuery.Phase phase, Instant startedFrom,
        Instant startedTo, Instant finishedFrom, Instant finishedTo) {

    private static final Pattern CONDITION = Pattern.compile("\\s*(status|started_at|finished_at)\\s*([=<>])\\s*\"?([^\"\\s]+)\"?\\s*");

    static YandexFilter parse(String filter) {
        Set<ExecutionStatus> statuses = EnumSet.noneOf(ExecutionStatus.class);
        Instant[] bounds = new Instant[4];
        boolean paused = false;
        boolean running = false;
        if (filter != null && !filter.isBlank()) {
            for (String condition : filter.split("(?i)\\s+AND\\s+")) {
                Matcher m = CONDITION.matcher(condition);
                if (!m.matches()) {
                    throw new ServerWebInputException("filter condition '" + condition.strip() + "' is not "
                            + "status=<STATUS>, started_at<|><time> or finished_at<|><time>");
                }
                String field = m.group(1);
                String op = m.group(2);
                String value = m.group(3);
                if (field.equals("status")) {
                    if (!op.equals("=")) {
                        throw new ServerWebInputException("status can only be compared with =");
                    }
                    paused |= value.equalsIgnoreCase("PAUSED");
                    running |= value.equalsIgnoreCase("RUNNING");
                    try {
                        statuses.addAll(YandexFormat.statuses(value));
                    } catch (IllegalArgumentException e) {
                        throw new ServerWebInputException(e.getMessage());
                    }
                } else {
                    if (op.equals("=")) {
                        throw new ServerWebInputException(field + " can only be compared with < or >");
                    }
                    int slot = (field.equals("started_at") ? 0 : 2) + (op.equals(">") ? 0 : 1);
                    bounds[slot] = QueryParams.time(field, value);
                }
            }
        }
        // PAUSED is RUNNING while suspended, RUNNING is RUNNING otherwise; given together, they are both RUNNING
        ExecutionQuery.Phase phase = ExecutionQuery.Phase.ANY;
        if (paused && !running) {
            statuses.add(ExecutionStatus.RUNNING);
            phase = statuses.size() == 1 ? ExecutionQuery.Phase.SUSPENDED : ExecutionQuery.Phase.ANY;
        } else if (running && !paused && statuses.size() == 1) {
            phase = ExecutionQuery.Phase.ACTIVE;
        }
        return new YandexFilter(statuses, phase, bounds[0], bounds[1], bounds[2], bounds[3]);
    }
}
