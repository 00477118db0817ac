package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorsTest {

    private static final ExecutionQuery.Order STARTED = ExecutionQuery.Order.STARTED_AT;
    private static final String ID = UUID.randomUUID().toString();

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadBackTheCursorsItIssues() {
        Instant at = Instant.parse("2026-11-23T10:00:00.123456Z");
        UUID id = UUID.randomUUID();
        assertThat(Cursors.list(Cursors.list(STARTED, false, at, id), STARTED, false))
                .isEqualTo(new ExecutionQuery.Position(at, id));
        HistoryEntry.Position position = Cursors.history(encode("O|42|" + at.getEpochSecond()
                + ".123456|t00001/do/0|x"));
        assertThat(position).isEqualTo(new HistoryEntry.Position(42, at, "t00001/do/0|x"));
    }

    @Test
    void shouldReadBackTheOrdinalTimeAndKeyOfTheEntryAHistoryPageEndedWith() {
        Instant at = Instant.parse("2026-11-23T10:00:00.123456Z");
        HistoryEntry entry = new HistoryEntry(HistoryEntry.Kind.TASK, at, "t00001/do/0|x@1", "COMPLETED", 1, null,
                "a", "/do/0|x", "set", 1, at, at, null, null, null, false, 0, 42, List.of(), null);
        assertThat(Cursors.history(Cursors.history(entry))).isEqualTo(new HistoryEntry.Position(42, at,
                "t00001/do/0|x@1"));
    }

    @Test
    void shouldReadACursorIssuedBeforeOrdinalsAsStandingAmongTheEntriesWrittenBeforeThem() {
        Instant at = Instant.parse("2026-11-23T10:00:00.123456Z");
        assertThat(Cursors.history(encode("H|" + at.getEpochSecond() + ".123456|t00001/do/0")))
                .isEqualTo(new HistoryEntry.Position(0, at, "t00001/do/0"));
    }

    @Test
    void shouldRefuseForgedListCursorsAsNotIssuedHere() {
        for (String forged : List.of(encode("L|STARTED_AT|desc|1.0|" + ID + "\u0000"),
                encode("L|STARTED_AT|desc|1.0\u0000|" + ID), encode("{\"at\":[1],\"executionId\":false}"),
                encode("L|NAME|sideways|1.0|" + ID), encode("L|STARTED_AT|desc|99999999999999999999.0|" + ID),
                encode("L|STARTED_AT|desc|1.1000000|" + ID), encode("L|STARTED_AT|desc|1.-1|" + ID),
                encode("L|STARTED_AT|desc|9999999999999.0|" + ID), encode("L|STARTED_AT|desc|1.0|not-an-id"),
                "%%%", "a".repeat(5000), "")) {
            assertThatThrownBy(() -> Cursors.list(forged, STARTED, false)).as(forged)
                    .isInstanceOf(InvalidCursorException.class)
                    .hasMessage("The cursor is not one this API issued; pass the nextCursor (Yandex: nextPageToken) "
                            + "of a previous page unchanged");
        }
    }

    @Test
    void shouldSayWhichOrderingACursorOfAnotherOrderingBelongsTo() {
        String cursor = Cursors.list(ExecutionQuery.Order.FINISHED_AT, true, Instant.EPOCH, UUID.randomUUID());
        assertThatThrownBy(() -> Cursors.list(cursor, STARTED, false)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("ordered by FINISHED_AT asc");
    }

    @Test
    void shouldRefuseForgedHistoryCursorsWithANulOrOutOfRange() {
        for (String forged : List.of(encode("H|1.0|s\u0000"), encode("H|1.0|x1"), encode("H|x|s1"),
                encode("O|-1|1.0|s1"), encode("O|x|1.0|s1"), encode("O|1|1.0|x1"), encode("O|1|1.0"),
                encode("O|99999999999999999999|1.0|s1"),
                encode("H|-99999999999999.0|s1"), encode("{\"key\":{}}"), encode("L|STARTED_AT|desc|1.0|" + ID))) {
            assertThatThrownBy(() -> Cursors.history(forged)).as(forged).isInstanceOf(InvalidCursorException.class);
        }
    }
}
