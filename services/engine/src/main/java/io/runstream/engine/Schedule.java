package io.runstream.engine;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a workflow starts by itself: its {@code schedule}, one of {@code every}, {@code cron}, {@code after} or
 * {@code on}. The clocked kinds ({@link Every} and {@link Cron}) name their fires by time slots every instance computes
 * alike, so a fire's execution id can derive from its slot.
 */
public sealed interface Schedule {

    /** The schedule's kind, as the DSL names it. */
    String kind();

    /** The schedule as the catalog API shows it. */
    String text();

    /** Its kind and text ({@code every:PT10S}): two versions with the same key have the same schedule. */
    default String key() {
        return kind() + ":" + text();
    }

    /** The schedule of a stored (checked) definition, if it has one. */
    static Optional<Schedule> of(JsonNode definition) {
        JsonNode schedule = definition.get("schedule");
        if (schedule == null || !schedule.isObject()) {
            return Optional.empty();
        }
        if (schedule.has("every")) {
            return Optional.of(new Every(duration(schedule.get("every"))));
        }
        if (schedule.has("cron")) {
            return Optional.of(Cron.parse(schedule.get("cron").asText()));
        }
        if (schedule.has("after")) {
            return Optional.of(new After(duration(schedule.get("after"))));
        }
        if (schedule.has("on")) {
            return Optional.of(new On(schedule.get("on"), schedule.path("read").asText("data")));
        }
        return Optional.empty();
    }

    private static Duration duration(JsonNode node) {
        return Durations.parse(node, jq -> {
            throw WorkflowError.configuration("/schedule", "Invalid duration", "a schedule's duration is fixed, "
                    + "not an expression");
        }, "/schedule");
    }

    /** A schedule that fires at time slots, whatever the runs do. */
    sealed interface Clocked extends Schedule {

        /** The latest slot at or before {@code at}. */
        Instant slotAtOrBefore(Instant at);

        /** The first slot after {@code at}. */
        Instant slotAfter(Instant at);
    }

    /** Fires every {@code interval}, whether or not the previous run is still going; slots align to the epoch. */
    record Every(Duration interval) implements Clocked {

        @Override
        public String kind() {
            return "every";
        }

        @Override
        public String text() {
            return interval.toString();
        }

        @Override
        public Instant slotAtOrBefore(Instant at) {
            long step = interval.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), step) * step);
        }

        @Override
        public Instant slotAfter(Instant at) {
            return slotAtOrBefore(at).plus(interval);
        }
    }

    /**
     * Fires at the times a Unix cron expression (five fields, minute first) names, in UTC unless the expression
     * starts with {@code CRON_TZ=<zone> } (as Kubernetes and robfig/cron write it).
     */
    record Cron(String expression, ZoneId zone, ExecutionTime times) implements Clocked {

        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
                CronType.UNIX));
        private static final String ZONE_PREFIX = "CRON_TZ=";

        /**
         * Parses a cron expression.
         *
         * @throws IllegalArgumentException saying what is wrong with it
         */
        public static Cron parse(String text) {
            String expression = text.trim();
            ZoneId zone = ZoneOffset.UTC;
            if (expression.startsWith(ZONE_PREFIX)) {
                int end = expression.indexOf(' ');
                String name = expression.substring(ZONE_PREFIX.length(), end < 0 ? expression.length() : end);
                try {
                    zone = ZoneId.of(name);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("'" + name + "' is not a time zone (such as Europe/Paris)");
                }
                expression = end < 0 ? "" : expression.substring(end + 1).trim();
            }
            try {
                return new Cron(expression, zone, ExecutionTime.forCron(PARSER.parse(expression)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + expression + "' is not a cron expression of five fields "
                        + "(minute hour day-of-month month day-of-week): " + e.getMessage());
            }
        }

        @Override
        public String kind() {
            return "cron";
        }

        @Override
        public String text() {
            return zone.equals(ZoneOffset.UTC) ? expression : ZONE_PREFIX + zone.getId() + " " + expression;
        }

        @Override
        public Instant slotAtOrBefore(Instant at) {
            ZonedDateTime time = at.atZone(zone);
            if (times.isMatch(time) && time.getSecond() == 0 && time.getNano() == 0) {
                return at;
            }
            return times.lastExecution(time).map(ZonedDateTime::toInstant).orElse(Instant.EPOCH);
        }

        @Override
        public Instant slotAfter(Instant at) {
            return times.nextExecution(at.atZone(zone)).map(ZonedDateTime::toInstant).orElse(Instant.MAX);
        }
    }

    /** Fires {@code delay} after the previous scheduled run ended (the first, {@code delay} after it is taken up). */
    record After(Duration delay) implements Schedule {

        @Override
        public String kind() {
            return "after";
        }

        @Override
        public String text() {
            return delay.toString();
        }
    }

    /** Starts a run for the events its strategy takes, read as {@code read} says (data, envelope or raw). */
    record On(JsonNode strategy, String read) implements Schedule {

        @Override
        public String kind() {
            return "on";
        }

        @Override
        public String text() {
            return strategy.toString();
        }
    }
}
