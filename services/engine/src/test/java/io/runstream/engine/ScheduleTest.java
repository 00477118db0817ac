package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Schedule of(String schedule) throws Exception {
        return Schedule.of(YAML.readTree("schedule: " + schedule + "\ndo: []")).orElseThrow();
    }

    @Test
    void shouldAlignEverySlotsToTheEpochSoEveryInstanceNamesTheSameSlots() throws Exception {
        Schedule.Clocked every = (Schedule.Clocked) of("{every: {seconds: 10}}");
        assertThat(every).isEqualTo(new Schedule.Every(Duration.ofSeconds(10)));
        Instant at = Instant.parse("2026-12-04T10:00:07.250Z");
        assertThat(every.slotAtOrBefore(at)).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(every.slotAfter(at)).isEqualTo(Instant.parse("2026-12-04T10:00:10Z"));
        Instant slot = Instant.parse("2026-12-04T10:00:10Z");
        assertThat(every.slotAtOrBefore(slot)).isEqualTo(slot);
        assertThat(every.slotAfter(slot)).isEqualTo(Instant.parse("2026-12-04T10:00:20Z"));
    }

    @Test
    void shouldStepCronSlotsInUtcUnlessAZoneIsGiven() throws Exception {
        Schedule.Clocked utc = (Schedule.Clocked) of("{cron: '30 9 * * *'}");
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertThat(utc.slotAtOrBefore(at)).isEqualTo(Instant.parse("2026-12-04T09:30:00Z"));
        assertThat(utc.slotAfter(at)).isEqualTo(Instant.parse("2026-12-05T09:30:00Z"));
        assertThat(utc.slotAtOrBefore(Instant.parse("2026-12-04T09:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-04T09:30:00Z"));
        assertThat(utc.slotAfter(Instant.parse("2026-12-04T09:30:00Z")))
                .isEqualTo(Instant.parse("2026-12-05T09:30:00Z"));

        Schedule.Clocked paris = (Schedule.Clocked) of("{cron: 'CRON_TZ=Europe/Paris 30 9 * * *'}");
        assertThat(paris.slotAfter(at)).isEqualTo(Instant.parse("2026-12-05T08:30:00Z"));
        assertThat(paris.text()).isEqualTo("CRON_TZ=Europe/Paris 30 9 * * *");
    }

    @Test
    void shouldReadAfterAndNoSchedule() throws Exception {
        assertThat(of("{after: PT30S}")).isEqualTo(new Schedule.After(Duration.ofSeconds(30)));
        assertThat(Schedule.of(YAML.readTree("do: []"))).isEmpty();
    }
}
