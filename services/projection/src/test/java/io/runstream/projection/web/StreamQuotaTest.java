package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamQuotaTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StreamQuota quota = new StreamQuota(20, meters);

    @Test
    void shouldRefuseTheStreamOverTheCapOfAKeyButNotOfAnother() {
        List<StreamQuota.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            permits.add(quota.open("ops"));
        }

        assertThatThrownBy(() -> quota.open("ops")).isInstanceOf(TooManyStreamsException.class)
                .hasMessageContaining("already has 20 event streams open");
        assertThat(quota.open("other")).isNotNull();
        assertThat(quota.openStreams("ops")).isEqualTo(20);
        assertThat(meters.get("runstream.projection.streams").tag("key", "ops").gauge().value()).isEqualTo(20);
    }

    @Test
    void shouldGiveAStreamBackOnceWhenItEndsEvenIfClosedTwice() {
        List<StreamQuota.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            permits.add(quota.open("ops"));
        }
        permits.get(0).close();
        permits.get(0).close();

        assertThat(quota.openStreams("ops")).isEqualTo(19);
        quota.open("ops");
        assertThatThrownBy(() -> quota.open("ops")).isInstanceOf(TooManyStreamsException.class);
        assertThat(quota.openStreams("ops")).isEqualTo(20);
    }
}
