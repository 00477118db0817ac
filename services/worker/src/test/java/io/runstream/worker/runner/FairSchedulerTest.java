package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the runner's slots are shared: work-conserving, fewest in flight first, a reserve, start-by admission. */
class FairSchedulerTest {

    private static final long NOW = 1_000_000;
    private static final long LATER = NOW + 60_000;
    private static final long DEADLINE = NOW + 120_000;

    private final List<FairScheduler.Start<String>> running = new ArrayList<>();
    private final Map<String, Integer> offered = new HashMap<>();

    private List<String> started(FairScheduler.Decisions<String> decisions) {
        running.addAll(decisions.starts());
        return decisions.starts().stream().map(FairScheduler.Start::item).toList();
    }

    private List<String> offer(FairScheduler<String> scheduler, String tenant, int count) {
        List<String> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String item = tenant + (offered.merge(tenant, 1, Integer::sum) - 1);
            started.addAll(started(scheduler.offer(tenant, item, LATER, DEADLINE, NOW)));
        }
        return started;
    }

    private List<String> end(FairScheduler<String> scheduler, String item) {
        return end(scheduler, item, NOW);
    }

    private List<String> end(FairScheduler<String> scheduler, String item, long at) {
        FairScheduler.Start<String> call = running.stream().filter(s -> s.item().equals(item)).findFirst()
                .orElseThrow();
        running.remove(call);
        return started(scheduler.release(call, at));
    }

    @Test
    void shouldLetATenantAloneUseEveryUnreservedSlotAndQueueTheRest() {
        var scheduler = new FairScheduler<String>(8, 2, 8);

        assertThat(offer(scheduler, "a", 10)).containsExactly("a0", "a1", "a2", "a3", "a4", "a5");
        assertThat(scheduler.inFlight()).isEqualTo(6);
        assertThat(scheduler.waiting()).isEqualTo(4);
        assertThat(scheduler.waiting("a")).isEqualTo(4);
        assertThat(end(scheduler, "a0")).as("its own next call takes the freed slot").containsExactly("a6");
    }

    @Test
    void shouldUseEverySlotWithoutAReserve() {
        var scheduler = new FairScheduler<String>(4, 0, 4);

        assertThat(offer(scheduler, "a", 5)).hasSize(4);
        assertThat(scheduler.waiting()).isEqualTo(1);
    }

    @Test
    void shouldStartAnotherTenantsCallInAReservedSlotWhileOneTenantHoldsAllTheOthers() {
        var scheduler = new FairScheduler<String>(8, 2, 8);
        offer(scheduler, "a", 10);

        assertThat(offer(scheduler, "b", 1)).as("at once, no call of a's ended").containsExactly("b0");
        assertThat(running).filteredOn(s -> s.item().equals("b0")).singleElement()
                .satisfies(s -> assertThat(s.slotted()).isTrue());
        assertThat(scheduler.waiting("a")).isEqualTo(4);
        assertThat(offer(scheduler, "c", 1)).as("the reserve's second slot").containsExactly("c0");
        assertThat(offer(scheduler, "d", 1)).as("every slot is taken now").isEmpty();
    }

    @Test
    void shouldNotLetOneTenantTakeMoreThanItsShareOfTheReserve() {
        var scheduler = new FairScheduler<String>(10, 4, 10);
        offer(scheduler, "a", 6);

        assertThat(offer(scheduler, "b", 5)).as("half the reserve, with two tenants at work")
                .containsExactly("b0", "b1");
        assertThat(offer(scheduler, "c", 1)).as("the rest is there for a third").containsExactly("c0");
    }

    @Test
    void shouldGiveAFreedSlotToTheWaitingTenantWithFewestCallsInFlight() {
        var scheduler = new FairScheduler<String>(4, 0, 4);
        offer(scheduler, "a", 8);
        offer(scheduler, "b", 3);

        assertThat(end(scheduler, "a0")).as("b has none in flight, a 3").containsExactly("b0");
        assertThat(end(scheduler, "a1")).as("b has 1, a 2").containsExactly("b1");
        assertThat(end(scheduler, "a2")).as("b has 2, a 1").containsExactly("a4");
        assertThat(end(scheduler, "a3")).as("b has 2, a 1").containsExactly("a5");
        assertThat(end(scheduler, "b0")).as("b has 1, a 2").containsExactly("b2");
    }

    @Test
    void shouldTakeTurnsBetweenTenantsWithAsManyCallsInFlight() {
        var scheduler = new FairScheduler<String>(1, 0, 1);
        offer(scheduler, "a", 1);
        offer(scheduler, "b", 1);
        offer(scheduler, "a", 2);
        offer(scheduler, "b", 2);

        List<String> order = new ArrayList<>(List.of("a0"));
        for (int i = 0; i < 5; i++) {
            order.addAll(end(scheduler, running.get(0).item()));
        }
        assertThat(order).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
    }

    @Test
    void shouldStartAWaitingCallAtItsStartByWhateverTheShares() {
        var scheduler = new FairScheduler<String>(4, 2, 4);
        offer(scheduler, "a", 3);
        assertThat(scheduler.waiting("a")).as("the reserve is not a's to take").isEqualTo(1);

        assertThat(started(scheduler.tick(LATER - 1))).isEmpty();
        assertThat(started(scheduler.tick(LATER))).containsExactly("a2");
        assertThat(running).filteredOn(s -> s.item().equals("a2")).singleElement()
                .satisfies(s -> assertThat(s.slotted()).as("above the slots: the reserve stays free").isFalse());
        assertThat(offer(scheduler, "b", 1)).as("another tenant still finds a reserved slot").containsExactly("b0");
        assertThat(scheduler.inFlight()).isEqualTo(4);
    }

    @Test
    void shouldGiveAFreedSlotToADueCallBeforeTheTenantWithFewestCallsInFlight() {
        var scheduler = new FairScheduler<String>(2, 0, 2);
        offer(scheduler, "a", 3);
        started(scheduler.offer("b", "b0", LATER + 1_000, DEADLINE, NOW));

        assertThat(end(scheduler, "a0", LATER)).containsExactly("a2");
        assertThat(running).filteredOn(s -> s.item().equals("a2")).singleElement()
                .satisfies(s -> assertThat(s.slotted()).isTrue());
        assertThat(scheduler.waiting("b")).isEqualTo(1);
    }

    @Test
    void shouldStartAnItemReadAfterItsStartByAtOnce() {
        var scheduler = new FairScheduler<String>(2, 0, 2);
        offer(scheduler, "a", 2);

        assertThat(started(scheduler.offer("a", "late", NOW - 1, DEADLINE, NOW))).containsExactly("late");
    }

    @Test
    void shouldStartNoMoreThanTheOverflowAboveTheSlotsAndGiveUpWhatReachesItsDeadline() {
        var scheduler = new FairScheduler<String>(2, 0, 1);
        offer(scheduler, "a", 4);

        assertThat(started(scheduler.tick(LATER))).as("one above the slots").containsExactly("a2");
        var atDeadline = scheduler.tick(DEADLINE);
        assertThat(atDeadline.starts()).isEmpty();
        assertThat(atDeadline.expired()).containsExactly("a3");
        assertThat(scheduler.waiting()).isZero();
        assertThat(scheduler.inFlight()).isEqualTo(3);
    }

    @Test
    void shouldServeATenantsEarliestStartByFirst() {
        var scheduler = new FairScheduler<String>(1, 0, 1);
        offer(scheduler, "a", 1);
        started(scheduler.offer("a", "relaxed", LATER + 5_000, DEADLINE, NOW));
        started(scheduler.offer("a", "urgent", LATER, DEADLINE, NOW));

        assertThat(end(scheduler, "a0")).containsExactly("urgent");
    }

    @Test
    void shouldForgetATenantOnceItHasNothingLeft() {
        var scheduler = new FairScheduler<String>(8, 4, 8);
        offer(scheduler, "a", 1);
        end(scheduler, "a0");
        offer(scheduler, "b", 4);

        assertThat(offer(scheduler, "c", 3)).as("b and c share the reserve, a no longer counts")
                .containsExactly("c0", "c1");
        assertThat(scheduler.inFlight()).isEqualTo(6);
        assertThatThrownBy(() -> scheduler.release(new FairScheduler.Start<>("a", "a0", true), NOW))
                .isInstanceOf(IllegalStateException.class);
    }
}
