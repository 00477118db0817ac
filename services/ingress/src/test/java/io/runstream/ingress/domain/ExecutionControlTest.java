package io.runstream.ingress.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ExecutionControlTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final UUID EXECUTION = UUID.randomUUID();

    /** A control topic whose "worker" answers each command as it is published, through {@code decide}. */
    private static final class Log implements ControlCommands, CommandOutcomes {
        final List<ControlCommand> published = new ArrayList<>();
        final Map<UUID, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();
        Function<ControlCommand, CommandOutcome> decide = command -> null;

        @Override
        public java.util.concurrent.CompletionStage<Void> publish(ControlCommand command) {
            published.add(command);
            CommandOutcome outcome = decide.apply(command);
            if (outcome != null && waiting.containsKey(command.commandId())) {
                waiting.get(command.commandId()).complete(outcome);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<CommandOutcome> expect(ControlCommand command) {
            return waiting.computeIfAbsent(command.commandId(), id -> new CompletableFuture<>());
        }

        @Override
        public void forget(ControlCommand command) {
            waiting.remove(command.commandId());
        }
    }

    private final Log log = new Log();
    private final ExecutionControl control = new ExecutionControl(log, log, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldPublishTheCommandWithItsPreconditionAndAnswerAtOnceWithoutAWait() {
        ControlResult result = control.submit("default", EXECUTION, CommandKind.STOP, "why", 2, Duration.ZERO)
                .toCompletableFuture().join();

        assertThat(result.outcome()).isNull();
        assertThat(log.published).singleElement().satisfies(c -> {
            assertThat(c).isEqualTo(result.command());
            assertThat(c.executionId()).isEqualTo(EXECUTION);
            assertThat(c.tenant()).isEqualTo("default");
            assertThat(c.reason()).isEqualTo("why");
            assertThat(c.expectedAttempt()).isEqualTo(2);
            assertThat(c.requestedAt()).isEqualTo(NOW);
        });
        assertThat(log.waiting).isEmpty();
    }

    @Test
    void shouldSeeAnOutcomeThatArrivesBeforeThePublishIsAcknowledged() {
        log.decide = c -> new CommandOutcome(c.commandId(), true, null, null, "CANCELLED", NOW, 4L, 0);

        ControlResult result = control.submit("default", EXECUTION, CommandKind.STOP, null, null,
                Duration.ofSeconds(5)).toCompletableFuture().join();

        assertThat(result.outcome().status()).isEqualTo("CANCELLED");
        assertThat(log.waiting).as("the wait is forgotten").isEmpty();
    }

    @Test
    void shouldFailWithTheRejectionAndAnswerPendingWhenNotDecidedInTime() {
        log.decide = c -> new CommandOutcome(c.commandId(), false, "EXECUTION_FINISHED", "done already", "SUCCEEDED",
                NOW, 3L, 0);
        assertThatThrownBy(() -> control.submit("default", EXECUTION, CommandKind.STOP, null, null,
                Duration.ofSeconds(5)).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(CommandRejectedException.class).hasMessage("stop rejected: done already")
                .satisfies(e -> assertThat(((CommandRejectedException) e).outcome().code())
                        .isEqualTo("EXECUTION_FINISHED"));

        log.decide = c -> null;
        ControlResult undecided = control.submit("default", EXECUTION, CommandKind.STOP, null, null,
                Duration.ofMillis(50)).toCompletableFuture().join();
        assertThat(undecided.outcome()).isNull();
        assertThat(log.waiting).isEmpty();
    }
}
