package io.runstream.worker.domain;

import java.util.List;

/** Port: the durable timers of every execution, ordered by due time, from which due ones are taken. */
public interface TimerStore {

    /** Up to {@code limit} timers due at {@code now} (epoch millis) or before, earliest first, taken out. */
    List<DueTimer> takeDue(long now, int limit);
}
