package io.runstream.projection.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.StatusChange;
import io.runstream.projection.domain.TaskStep;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The watchers of one execution share one source: one read of the view per poll, whoever and however many watch. */
class ExecutionWatcherTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** A view held in memory that counts its reads. */
    private static final class CountingViews implements ExecutionViews {

        final Map<UUID, ExecutionView> rows = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void applyAll(List<StatusChange> changes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void recordSteps(List<TaskStep> steps) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ExecutionView> find(String tenant, UUID executionId) {
            reads.incrementAndGet();
            return Optional.ofNullable(rows.get(executionId)).filter(v -> v.tenant().equals(tenant));
        }

        /** What a poll reads: the rows, or those of a lagging copy; fails while the database is away. */
        volatile Map<UUID, ExecutionView> polled = rows;
        volatile RuntimeException away;

        @Override
        public List<ExecutionView> findAll(Collection<UUID> executionIds) {
            reads.incrementAndGet();
            if (away != null) {
                throw away;
            }
            return executionIds.stream().map(polled::get).filter(Objects::nonNull).toList();
        }
    }

    /**
     * What the listener does once it applied changes: the watched ones among them read back in one query (of the
     * rows, never of a lagging copy) and handed to their watchers.
     */
    private void applied(UUID... executionIds) {
        List<UUID> watched = changes.watchedAmong(List.of(executionIds));
        if (!watched.isEmpty()) {
            views.reads.incrementAndGet();
            changes.changed(watched.stream().map(views.rows::get).filter(Objects::nonNull).toList());
        }
    }

    private final CountingViews views = new CountingViews();
    private final ExecutionChanges changes = new ExecutionChanges();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ExecutionWatcher watcher = new ExecutionWatcher(views, changes, POLL, clock, Schedulers.immediate());
    private final List<Disposable> watchers = new ArrayList<>();

    @AfterEach
    void stop() {
        watchers.forEach(Disposable::dispose);
        clock.dispose();
    }

    private static ExecutionView view(UUID id, ExecutionStatus status, long sequence) {
        return new ExecutionView(id, "default", "demo", status, sequence, 1, "{}", null, null, T0,
                status.isTerminal() ? T0 : null, Map.of(), null, 0, java.util.List.of(), null);
    }

    private List<Long> watch(UUID id) {
        List<Long> seen = new CopyOnWriteArrayList<>();
        watchers.add(watcher.watch("default", id, WatchEnd.TERMINAL).subscribe(v -> seen.add(v.sequence())));
        return seen;
    }

    @Test
    void shouldReadTheViewOncePerPollForTwentyWatchersOfOneExecution() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        List<List<Long>> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seen.add(watch(id));
        }
        clock.advanceTime();
        assertThat(views.reads).hasValue(1);
        assertThat(seen).allSatisfy(each -> assertThat(each).containsExactly(2L));

        clock.advanceTimeBy(POLL.multipliedBy(10));
        assertThat(views.reads).as("one read per poll interval, not one per watcher").hasValue(11);

        views.rows.put(id, view(id, ExecutionStatus.SUCCEEDED, 3));
        applied(id);
        assertThat(views.reads).as("a change applied here is one read for all, and none of theirs").hasValue(12);
        assertThat(seen).allSatisfy(each -> assertThat(each).containsExactly(2L, 3L));
        assertThat(watcher.watched()).as("every watcher ended at the terminal state").isZero();
        assertThat(changes.watched()).as("its signal went with its last watcher").isZero();

        clock.advanceTimeBy(POLL.multipliedBy(10));
        assertThat(views.reads).as("no one watches, nothing is read").hasValue(12);
        assertThat(watcher.polls()).as("and the polls stopped").isFalse();
    }

    @Test
    void shouldReadEveryWatchedExecutionAgainInOneQueryPerPoll() {
        int count = ExecutionWatcher.POLL_CHUNK * 2 + 100;
        List<UUID> ids = new ArrayList<>();
        List<List<Long>> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
            seen.add(watch(id));
        }
        clock.advanceTime();
        assertThat(views.reads).as("each source reads its execution when it starts").hasValue(count);

        // another instance applied the ends: no signal here, the polls find them
        ids.forEach(id -> views.rows.put(id, view(id, ExecutionStatus.SUCCEEDED, 3)));
        clock.advanceTimeBy(POLL);

        assertThat(views.reads).as("one query per %d watched executions, not one each", ExecutionWatcher.POLL_CHUNK)
                .hasValue(count + 3);
        assertThat(seen).allSatisfy(each -> assertThat(each).containsExactly(2L, 3L));
        assertThat(watcher.watched()).isZero();
    }

    @Test
    void shouldNotGoBackToAnOlderStateThatAPollReadFromALaggingCopy() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        List<Long> seen = watch(id);
        clock.advanceTime();

        views.polled = Map.of(id, view(id, ExecutionStatus.RUNNING, 2));
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 4));
        applied(id);
        clock.advanceTimeBy(POLL.multipliedBy(2));

        assertThat(seen).containsExactly(2L, 4L);
    }

    @Test
    void shouldTellTheWatchersWhenAPollCannotReadTheView() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        watchers.add(watcher.watch("default", id, WatchEnd.TERMINAL).subscribe(v -> { }, failures::add));
        clock.advanceTime();

        views.away = new IllegalStateException("the database is away");
        clock.advanceTimeBy(POLL);

        assertThat(failures).singleElement().isSameAs(views.away);
        assertThat(watcher.watched()).as("a new watcher starts a source of its own").isZero();
    }

    @Test
    void shouldSignalOnlyTheWatchersOfTheExecutionThatChanged() {
        UUID watched = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        views.rows.put(watched, view(watched, ExecutionStatus.RUNNING, 2));
        views.rows.put(other, view(other, ExecutionStatus.RUNNING, 2));
        List<Long> seen = watch(watched);
        watch(other);
        clock.advanceTime();
        assertThat(views.reads).hasValue(2);

        views.rows.put(other, view(other, ExecutionStatus.SUCCEEDED, 3));
        applied(other, UUID.randomUUID());

        assertThat(views.reads).as("the changed one read back for its watcher; this one not").hasValue(3);
        assertThat(seen).containsExactly(2L);
        assertThat(changes.watched()).as("only the watched execution still has a signal").isEqualTo(1);
    }

    @Test
    void shouldReadBackOnlyWatchedExecutionsAndShowEachOnlyToItsTenant() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        applied(id, UUID.randomUUID());
        assertThat(views.reads).as("nothing watched, nothing read back").hasValue(0);

        List<Long> stranger = new CopyOnWriteArrayList<>();
        watchers.add(watcher.watch("other", id, WatchEnd.TERMINAL).subscribe(v -> stranger.add(v.sequence())));
        clock.advanceTime();
        views.rows.put(id, view(id, ExecutionStatus.SUCCEEDED, 3));
        applied(id);

        assertThat(views.reads).as("the stranger's first read, then the read-back").hasValue(2);
        assertThat(stranger).as("another tenant's execution, though its id was watched").isEmpty();
        assertThat(watcher.watched()).isEqualTo(1);
    }

    @Test
    void shouldGiveAWatcherWhoJoinsLaterTheCurrentStateWithoutAReadOfItsOwn() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        watch(id);
        clock.advanceTime();
        clock.advanceTimeBy(POLL.dividedBy(2));

        List<Long> late = watch(id);

        assertThat(late).containsExactly(2L);
        assertThat(views.reads).hasValue(1);
    }

    @Test
    void shouldStopReadingWhenTheLastWatcherLeavesAndStartAgainForANewOne() {
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        watch(id);
        watch(other);
        clock.advanceTime();
        assertThat(watcher.watched()).isEqualTo(2);
        assertThat(views.reads).as("one source per execution").hasValue(2);

        watchers.forEach(Disposable::dispose);
        clock.advanceTimeBy(POLL.multipliedBy(5));
        assertThat(watcher.watched()).isZero();
        assertThat(views.reads).hasValue(2);

        List<Long> again = watch(id);
        clock.advanceTime();
        assertThat(again).containsExactly(2L);
        assertThat(views.reads).hasValue(3);
    }

    @Test
    void shouldSayNotFoundWhenTheExecutionDoesNotAppearInTime() {
        UUID id = UUID.randomUUID();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Long> seen = new CopyOnWriteArrayList<>();
        watchers.add(watcher.watch("default", id, WatchEnd.TERMINAL, POLL.multipliedBy(3))
                .subscribe(v -> seen.add(v.sequence()), failures::add));
        clock.advanceTimeBy(POLL.multipliedBy(3).dividedBy(2));
        views.rows.put(id, view(id, ExecutionStatus.QUEUED, 1));
        clock.advanceTimeBy(POLL);
        assertThat(seen).as("it appeared at the read after 2 s").containsExactly(1L);
        clock.advanceTimeBy(POLL.multipliedBy(10));
        assertThat(failures).as("once it appeared, it may wait as long as it likes").isEmpty();

        UUID never = UUID.randomUUID();
        watchers.add(watcher.watch("default", never, WatchEnd.TERMINAL, POLL.multipliedBy(3))
                .subscribe(v -> seen.add(v.sequence()), failures::add));
        clock.advanceTimeBy(POLL.multipliedBy(3));
        assertThat(failures).singleElement().isInstanceOf(ExecutionNotFoundException.class);
        assertThat(watcher.watched()).as("only the first execution is still watched").isEqualTo(1);
    }

    @Test
    void shouldNotShowOneTenantTheExecutionOfAnotherThroughTheSharedSource() {
        UUID id = UUID.randomUUID();
        views.rows.put(id, view(id, ExecutionStatus.RUNNING, 2));
        List<Long> owner = watch(id);
        List<Long> stranger = new CopyOnWriteArrayList<>();
        watchers.add(watcher.watch("other", id, WatchEnd.TERMINAL).subscribe(v -> stranger.add(v.sequence())));
        clock.advanceTimeBy(POLL.multipliedBy(3));

        assertThat(owner).containsExactly(2L);
        assertThat(stranger).isEmpty();
    }
}
