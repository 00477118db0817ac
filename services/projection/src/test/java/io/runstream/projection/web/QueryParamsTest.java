package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.projection.domain.WatchEnd;
import org.junit.jupiter.api.Test;
import org.springframework.web.server.ServerWebInputException;

class QueryParamsTest {

    @Test
    void shouldFollowRedrivesOnlyWhenAskedTo() {
        assertThat(QueryParams.followRedrives(null)).isEqualTo(WatchEnd.TERMINAL);
        assertThat(QueryParams.followRedrives("false")).isEqualTo(WatchEnd.TERMINAL);
        assertThat(QueryParams.followRedrives("TRUE")).isEqualTo(WatchEnd.followingRedrives());
        assertThatThrownBy(() -> QueryParams.followRedrives("yes")).isInstanceOf(ServerWebInputException.class)
                .hasMessageContaining("followRedrives must be true or false");
    }

    @Test
    void shouldWaitFromTheMinimumSequenceWhenOneIsGiven() {
        assertThat(QueryParams.minSequence(null)).isEqualTo(WatchEnd.TERMINAL);
        assertThat(QueryParams.minSequence(4L)).isEqualTo(WatchEnd.terminalFrom(4));
        assertThatThrownBy(() -> QueryParams.minSequence(0L)).isInstanceOf(ServerWebInputException.class)
                .hasMessageContaining("minSequence must be at least 1");
    }
}
