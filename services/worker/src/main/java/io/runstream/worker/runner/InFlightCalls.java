package io.runstream.worker.runner;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.runstream.worker.settings.WorkerProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;

/**
 * The calls this runner is making, by execution and activity, so that one its execution no longer waits on can be
 * stopped: the call is disposed (its connection closed), its slot given back, and no result reported. A cancel that
 * comes before its dispatch is remembered until the dispatch's deadline could have passed, so the call never starts.
 */
@Component
final class InFlightCalls {

    /** One activity of one execution. */
    record Key(String executionId, long activity) {
    }

    private final Map<Key, Disposable> running = new ConcurrentHashMap<>();
    private final Map<Key, Long> cancelledUntil = new ConcurrentHashMap<>();
    private final long rememberMillis;

    /** A cancel for a call not seen yet is kept for twice the lease: longer than any dispatch of it may wait. */
    @Autowired
    InFlightCalls(WorkerProperties properties) {
        this(properties.activities().lease().toMillis() * 2);
    }

    /** @param rememberMillis how long a cancel for a call not seen yet is kept: the longest a dispatch may wait */
    InFlightCalls(long rememberMillis) {
        this.rememberMillis = rememberMillis;
    }

    /** A call started; {@code call} stops it. False if it was cancelled already, and then it is stopped at once. */
    boolean started(Key key, Disposable call, long now) {
        running.put(key, call);
        if (isCancelled(key, now)) {
            stop(key);
            return false;
        }
        return true;
    }

    /** The call ended, however it ended. */
    void ended(Key key) {
        running.remove(key);
    }

    /** Whether the execution stopped waiting on this activity. */
    boolean isCancelled(Key key, long now) {
        Long until = cancelledUntil.get(key);
        return until != null && until >= now;
    }

    /** Stops the call if it runs here, and remembers the cancel for a dispatch still to come; true if it ran. */
    boolean cancel(Key key, long now) {
        return cancelAll(java.util.List.of(key), now) == 1;
    }

    /**
     * Cancels several at once: all are marked before any is stopped, so a slot one of them gives back is not taken
     * by another of them still waiting. Returns how many were running here.
     */
    int cancelAll(java.util.List<Key> keys, long now) {
        forgetOld(now);
        keys.forEach(key -> cancelledUntil.put(key, now + rememberMillis));
        return (int) keys.stream().filter(this::stop).count();
    }

    int running() {
        return running.size();
    }

    private boolean stop(Key key) {
        Disposable call = running.remove(key);
        if (call == null) {
            return false;
        }
        call.dispose();
        return true;
    }

    private void forgetOld(long now) {
        for (Iterator<Long> it = cancelledUntil.values().iterator(); it.hasNext(); ) {
            if (it.next() < now) {
                it.remove();
            }
        }
    }
}
