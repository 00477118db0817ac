package io.runstream.worker.runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Shares a runner's slots among tenants, so that one tenant's slow calls cannot keep another's waiting. It decides
 * only (which waiting item starts now); the caller starts what it is given and hands each back when it ends.
 * <ul>
 *   <li><b>Work-conserving.</b> A tenant may take any of the {@code slots - reserved} unreserved slots that are free,
 *       whoever else has work: alone, it uses all of them.</li>
 *   <li><b>Fair order.</b> When a slot frees and several tenants wait, the one with the fewest calls in flight gets
 *       it (on a tie, the one that started a call least recently: round robin); within a tenant, the item with
 *       the earliest start-by goes first.</li>
 *   <li><b>A reserve.</b> The last {@code reserved} slots go only to a tenant below its share of them (reserved ÷
 *       tenants with work, at least one), so while one tenant's calls hang in every unreserved slot, another's
 *       next call starts at once instead of waiting for one of them to end.</li>
 *   <li><b>Start-by.</b> An item still waiting at its start-by starts then, whatever the shares: in a slot it may
 *       take, or else above the slots, up to {@code overflow} such calls at once. The caller sets the start-by so a
 *       call started then ends within its lease, so no item is dropped and dispatched again for waiting its turn.
 *       Only an item still waiting at its deadline (every slot and the whole overflow busy that long) is given
 *       back as expired.</li>
 * </ul>
 * Times are epoch milliseconds passed in by the caller. Every method holds this object's monitor.
 */
final class FairScheduler<T> {

    /** A decision to start {@code item} now; {@code slotted} is false for a call started above the slots. */
    record Start<T>(String tenant, T item, boolean slotted) {
    }

    /** What a step decided: the items to start now, and those given up because their deadline passed. */
    record Decisions<T>(List<Start<T>> starts, List<T> expired) {
    }

    private record Waiting<T>(T item, long startBy, long deadline, long arrival) {
    }

    /** One tenant with work: its calls in flight and its waiting items, earliest start-by first. */
    private static final class Tenant<T> {
        final String name;
        final PriorityQueue<Waiting<T>> queue = new PriorityQueue<>(
                Comparator.comparingLong((Waiting<T> w) -> w.startBy()).thenComparingLong(Waiting::arrival));
        int inFlight;
        long lastStart = -1;

        Tenant(String name) {
            this.name = name;
        }
    }

    private final int slots;
    private final int reserved;
    private final int overflow;
    private final Map<String, Tenant<T>> tenants = new HashMap<>();
    private int slotted;
    private int unslotted;
    private int waiting;
    private long arrivals;
    private long starts;

    FairScheduler(int slots, int reserved, int overflow) {
        if (slots < 1 || reserved < 0 || reserved >= slots || overflow < 0) {
            throw new IllegalArgumentException("need 0 <= reserved < slots and overflow >= 0");
        }
        this.slots = slots;
        this.reserved = reserved;
        this.overflow = overflow;
    }

    /** Queues an item of {@code tenant}, then starts whatever may start now. */
    synchronized Decisions<T> offer(String tenant, T item, long startBy, long deadline, long now) {
        tenants.computeIfAbsent(tenant, Tenant::new).queue.add(new Waiting<>(item, startBy, deadline, arrivals++));
        waiting++;
        return step(now);
    }

    /** Gives back the slot of a call that ended, then starts whatever may start now. */
    synchronized Decisions<T> release(Start<T> ended, long now) {
        Tenant<T> tenant = tenants.get(ended.tenant());
        if (tenant == null || tenant.inFlight == 0) {
            throw new IllegalStateException("released a call that was not started: " + ended);
        }
        tenant.inFlight--;
        if (ended.slotted()) {
            slotted--;
        } else {
            unslotted--;
        }
        forgetIfIdle(tenant);
        return step(now);
    }

    /** Starts what reached its start-by (call it often: a start is never later than its start-by plus a tick). */
    synchronized Decisions<T> tick(long now) {
        return step(now);
    }

    /** Items waiting, all tenants together. */
    synchronized int waiting() {
        return waiting;
    }

    /** Items of one tenant waiting. */
    synchronized int waiting(String tenant) {
        Tenant<T> t = tenants.get(tenant);
        return t == null ? 0 : t.queue.size();
    }

    /** Calls started and not yet released, above the slots included. */
    synchronized int inFlight() {
        return slotted + unslotted;
    }

    private Decisions<T> step(long now) {
        List<Start<T>> starts = new ArrayList<>();
        List<T> expired = new ArrayList<>();
        for (Iterator<Tenant<T>> it = tenants.values().iterator(); it.hasNext(); ) {
            Tenant<T> tenant = it.next();
            due(tenant, now, starts, expired);
            if (tenant.inFlight == 0 && tenant.queue.isEmpty()) {
                it.remove();
            }
        }
        for (Tenant<T> next = next(); next != null; next = next()) {
            starts.add(start(next, true));
        }
        return new Decisions<>(starts, expired);
    }

    /** Items at their start-by start now, in a slot if the tenant may take one, otherwise above the slots. */
    private void due(Tenant<T> tenant, long now, List<Start<T>> starts, List<T> expired) {
        for (Waiting<T> head = tenant.queue.peek(); head != null && head.startBy() <= now; head = tenant.queue.peek()) {
            if (head.deadline() <= now) {
                tenant.queue.poll();
                waiting--;
                expired.add(head.item());
            } else if (mayTake(tenant)) {
                starts.add(start(tenant, true));
            } else if (unslotted < overflow) {
                starts.add(start(tenant, false));
            } else {
                return;
            }
        }
    }

    /** The waiting tenant that may take a slot and has the fewest calls in flight, or null. */
    private Tenant<T> next() {
        Tenant<T> best = null;
        for (Tenant<T> tenant : tenants.values()) {
            if (!tenant.queue.isEmpty() && mayTake(tenant) && (best == null || tenant.inFlight < best.inFlight
                    || tenant.inFlight == best.inFlight && tenant.lastStart < best.lastStart)) {
                best = tenant;
            }
        }
        return best;
    }

    private boolean mayTake(Tenant<T> tenant) {
        return slotted < slots - reserved
                || slotted < slots && tenant.inFlight < Math.max(1, reserved / tenants.size());
    }

    private Start<T> start(Tenant<T> tenant, boolean inSlot) {
        Waiting<T> w = tenant.queue.poll();
        waiting--;
        tenant.inFlight++;
        tenant.lastStart = starts++;
        if (inSlot) {
            slotted++;
        } else {
            unslotted++;
        }
        return new Start<>(tenant.name, w.item(), inSlot);
    }

    private void forgetIfIdle(Tenant<T> tenant) {
        if (tenant.inFlight == 0 && tenant.queue.isEmpty()) {
            tenants.remove(tenant.name);
        }
    }
}
