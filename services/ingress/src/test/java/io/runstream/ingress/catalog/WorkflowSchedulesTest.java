package io.runstream.ingress.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WorkflowSchedulesTest {

    /** A Friday, 10:17:30 in Paris (CET, UTC+1). */
    private static final Instant NOW = Instant.parse("2026-12-04T09:17:30Z");

    private final WorkflowSchedules schedules = new WorkflowSchedules(Clock.fixed(NOW, ZoneOffset.UTC), 4);

    private static WorkflowVersion version(String id, boolean active, String schedule) {
        String definition = "document: {dsl: '1.0.0', namespace: test, name: scheduled, version: '0.1.0'}\n"
                + (schedule == null ? "" : "schedule: " + schedule + "\n")
                + "do:\n  - tick:\n      set: {ok: true}\n";
        return new WorkflowVersion("default", id, 1, DefinitionFormat.YAML, definition, active, NOW);
    }

    @Test
    void shouldGiveAnEveryScheduleItsNextEpochAlignedSlot() {
        assertThat(schedules.of(version("hourly", true, "{every: PT1H}"))).contains(
                new WorkflowSchedule("every", "PT1H", Instant.parse("2026-12-04T10:00:00Z")));
        assertThat(schedules.of(version("seven", true, "{every: {minutes: 7}}"))).contains(
                new WorkflowSchedule("every", "PT7M", Instant.ofEpochMilli(
                        (NOW.toEpochMilli() / 420_000 + 1) * 420_000)));
    }

    @Test
    void shouldReadAJsonDefinitionToo() {
        String json = """
                {"document": {"dsl": "1.0.0", "namespace": "test", "name": "j", "version": "0.1.0"},
                 "schedule": {"every": "PT15M"}, "do": [{"tick": {"set": {"ok": true}}}]}""";
        assertThat(schedules.of(new WorkflowVersion("default", "json", 1, DefinitionFormat.JSON, json, true, NOW)))
                .contains(new WorkflowSchedule("every", "PT15M", Instant.parse("2026-12-04T09:30:00Z")));
    }

    @Test
    void shouldGiveACronScheduleItsNextTimeInUtcOrInItsZone() {
        assertThat(schedules.of(version("utc", true, "{cron: '30 9 * * 1-5'}"))).contains(
                new WorkflowSchedule("cron", "30 9 * * 1-5", Instant.parse("2026-12-04T09:30:00Z")));
        assertThat(schedules.of(version("paris", true, "{cron: 'CRON_TZ=Europe/Paris 30 9 * * 1-5'}")))
                .as("09:30 in Paris has passed this Friday: Monday's, at 08:30 UTC")
                .contains(new WorkflowSchedule("cron", "CRON_TZ=Europe/Paris 30 9 * * 1-5",
                        Instant.parse("2026-12-07T08:30:00Z")));
    }

    @Test
    void shouldGiveNoTimeForACronNoDateMatches() {
        assertThat(schedules.of(version("never", true, "{cron: '0 0 30 2 *'}")))
                .as("30 February").contains(new WorkflowSchedule("cron", "0 0 30 2 *", null));
    }

    @Test
    void shouldGiveNoTimeForAnAfterScheduleSinceItCountsFromTheEndOfTheRun() {
        assertThat(schedules.of(version("after", true, "{after: PT5M}")))
                .contains(new WorkflowSchedule("after", "PT5M", null));
    }

    @Test
    void shouldGiveNoTimeForAnInactiveWorkflowButStillShowItsSchedule() {
        assertThat(schedules.of(version("off", false, "{every: PT1H}")))
                .contains(new WorkflowSchedule("every", "PT1H", null));
        assertThat(schedules.of(version("off-cron", false, "{cron: '0 * * * *'}")))
                .contains(new WorkflowSchedule("cron", "0 * * * *", null));
    }

    @Test
    void shouldShowNoScheduleForAWorkflowWithoutOne() {
        assertThat(schedules.of(version("plain", true, null))).isEmpty();
    }

    @Test
    void shouldShowNoScheduleForADefinitionTheWorkerCannotReadEither() {
        WorkflowVersion broken = new WorkflowVersion("default", "broken", 1, DefinitionFormat.YAML, "do: [", true,
                NOW);
        assertThat(schedules.of(broken)).isEmpty();
    }

    @Test
    void shouldKeepEachVersionsScheduleApart() {
        WorkflowVersion first = version("versions", true, "{every: PT1H}");
        WorkflowVersion second = new WorkflowVersion("default", "versions", 2, DefinitionFormat.YAML,
                first.definition().replace("PT1H", "PT2H"), true, NOW);
        assertThat(schedules.of(first)).map(WorkflowSchedule::expression).contains("PT1H");
        assertThat(schedules.of(second)).map(WorkflowSchedule::expression).contains("PT2H");
        assertThat(schedules.of(first)).map(WorkflowSchedule::expression).contains("PT1H");
    }
}
