package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.WatchEnd;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebInputException;

class QueryParamsTest {

    private static QueryParams params(String name, String... values) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.put(name, List.of(values));
        return new QueryParams(query);
    }

    private static QueryParams none() {
        return new QueryParams(new LinkedMultiValueMap<>(Map.of()));
    }

    @Test
    void shouldFollowRedrivesOnlyWhenAskedTo() {
        assertThat(none().followRedrives()).isEqualTo(WatchEnd.TERMINAL);
        assertThat(params("followRedrives", "false").followRedrives()).isEqualTo(WatchEnd.TERMINAL);
        assertThat(params("followRedrives", "TRUE").followRedrives()).isEqualTo(WatchEnd.followingRedrives());
        assertThatThrownBy(() -> params("followRedrives", "yes").followRedrives())
                .isInstanceOf(ServerWebInputException.class)
                .hasMessageContaining("followRedrives must be true or false");
    }

    @Test
    void shouldWaitFromTheMinimumSequenceWhenOneIsGiven() {
        assertThat(none().minSequence()).isEqualTo(WatchEnd.TERMINAL);
        assertThat(params("minSequence", "4").minSequence()).isEqualTo(WatchEnd.terminalFrom(4));
        for (String bad : List.of("0", "-1", "99999999999999999999", "four", "")) {
            assertThatThrownBy(() -> params("minSequence", bad).minSequence())
                    .isInstanceOf(ServerWebInputException.class)
                    .hasMessageContaining("minSequence must be a whole number of at least 1");
        }
    }

    @Test
    void shouldTakeWholeNumbersInRangeOnly() {
        assertThat(params("limit", "100").limit(20)).isEqualTo(100);
        assertThat(none().limit(20)).isEqualTo(20);
        for (String bad : List.of("0", "101", "-3", "99999999999", "1e2", "ten", " ")) {
            assertThatThrownBy(() -> params("limit", bad).limit(20)).isInstanceOf(ServerWebInputException.class)
                    .hasMessageContaining("limit must be a whole number from 1 to 100");
        }
    }

    @Test
    void shouldRefuseARepeatedParameterButTakeRepeatedStatuses() {
        assertThatThrownBy(() -> params("workflowId", "a", "b").text("workflowId"))
                .isInstanceOf(ServerWebInputException.class).hasMessageContaining("workflowId is given 2 times");
        assertThat(params("status", "RUNNING", "queued,FAILED").statuses())
                .containsExactlyInAnyOrder(ExecutionStatus.RUNNING, ExecutionStatus.QUEUED, ExecutionStatus.FAILED);
    }

    @Test
    void shouldRefuseControlCharactersAndOverLongText() {
        assertThat(params("externalRef", "x".repeat(256)).text("externalRef")).hasSize(256);
        assertThat(params("externalRef", "ünïcode ✓").text("externalRef")).isEqualTo("ünïcode ✓");
        assertThatThrownBy(() -> params("externalRef", "x".repeat(257)).text("externalRef"))
                .hasMessageContaining("externalRef must be at most 256 characters");
        for (String bad : List.of("a\u0000b", "a\nb", "\t", "a\u007fb", "a\u0085b")) {
            assertThatThrownBy(() -> params("sourceSystem", bad).text("sourceSystem"))
                    .isInstanceOf(ServerWebInputException.class)
                    .hasMessageContaining("sourceSystem must not contain control characters");
        }
    }

    @Test
    void shouldTakeTimesThePostgresViewCanCompareWith() {
        assertThat(params("startedFrom", "2026-11-23T10:00:00Z").time("startedFrom"))
                .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(params("startedTo", "2026-11-23T12:00:00+02:00").time("startedTo"))
                .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(QueryParams.time("t", "9999-12-31T23:59:59.999999999Z")).isEqualTo(QueryParams.LATEST);
        assertThat(QueryParams.time("t", "0001-01-01T00:00:00Z")).isEqualTo(QueryParams.EARLIEST);
        for (String bad : List.of("+300000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
                "+1000000000-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "yesterday", "")) {
            assertThatThrownBy(() -> params("finishedTo", bad).time("finishedTo"))
                    .isInstanceOf(ServerWebInputException.class)
                    .hasMessageContaining("finishedTo must be an RFC 3339 time from 0001-01-01T00:00:00Z to "
                            + "9999-12-31T23:59:59Z");
        }
    }

    @Test
    void shouldBoundYandexFilterTimesTheSameWay() {
        assertThat(YandexFilter.parse("started_at>\"2026-01-01T00:00:00Z\"").startedFrom())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> YandexFilter.parse("started_at>+300000-01-01T00:00:00Z"))
                .isInstanceOf(ServerWebInputException.class).hasMessageContaining("started_at must be an RFC 3339");
        assertThatThrownBy(() -> YandexFilter.parse("finished_at<\"-4714-11-24T00:00:00Z\""))
                .isInstanceOf(ServerWebInputException.class).hasMessageContaining("finished_at must be an RFC 3339");
    }
}
