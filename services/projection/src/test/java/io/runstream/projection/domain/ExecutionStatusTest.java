package io.runstream.projection.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExecutionStatusTest {

    @Test
    void shouldLetOnlyFailedAndTimedOutBeRedriven() {
        assertThat(Arrays.stream(ExecutionStatus.values()).filter(ExecutionStatus::isRedrivable))
                .containsExactlyInAnyOrder(ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT);
    }

    @Test
    void shouldCallOnlySucceededAndCancelledFinal() {
        assertThat(Arrays.stream(ExecutionStatus.values()).filter(ExecutionStatus::isFinal))
                .containsExactlyInAnyOrder(ExecutionStatus.SUCCEEDED, ExecutionStatus.CANCELLED);
        assertThat(Arrays.stream(ExecutionStatus.values()).filter(ExecutionStatus::isTerminal))
                .containsExactlyInAnyOrder(ExecutionStatus.SUCCEEDED, ExecutionStatus.CANCELLED,
                        ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT);
    }
}
