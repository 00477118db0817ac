package io.runstream.ingress.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.runstream.ingress.domain.ExecutionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** When marks are flushed: only while some wait, once for all that wait. The flush itself is covered by IngressIT. */
class PublishedMarksTest {

    /** A scheduler that keeps what it is given to run, and runs nothing. */
    private static final class Kept extends ThreadPoolTaskScheduler {

        final List<Instant> at = new ArrayList<>();

        @Override
        public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
            at.add(startTime);
            return null;
        }
    }

    /** Never reached: these tests run no flush. */
    private static final JdbcClient NO_DATABASE = JdbcClient.create(new DriverManagerDataSource());

    @Test
    void schedulesNothingWhileNoMarkWaits() {
        Kept scheduler = new Kept();

        new PublishedMarks(NO_DATABASE, scheduler);

        assertThat(scheduler.at).isEmpty();
    }

    @Test
    void schedulesOneFlushForMarksAddedBeforeItRuns() {
        Kept scheduler = new Kept();
        PublishedMarks marks = new PublishedMarks(NO_DATABASE, scheduler);
        Instant before = Instant.now();

        for (int i = 0; i < 100; i++) {
            marks.add(new ExecutionId(UUID.randomUUID()));
        }

        assertThat(scheduler.at).singleElement()
                .satisfies(at -> assertThat(at).isBetween(before.plusMillis(250), Instant.now().plusMillis(250)));
    }

    @Test
    void aStoppedSchedulerDoesNotFailTheRequestThatMarks() {
        ThreadPoolTaskScheduler stopped = new ThreadPoolTaskScheduler() {
            @Override
            public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
                throw new TaskRejectedException("Executor has been shut down");
            }
        };
        PublishedMarks marks = new PublishedMarks(NO_DATABASE, stopped);

        assertThatCode(() -> marks.add(new ExecutionId(UUID.randomUUID()))).doesNotThrowAnyException();
    }
}
