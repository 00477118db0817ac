package io.runstream.projection.domain;

/**
 * When following an execution's states stops: at the first terminal state from {@code minSequence} on (an older
 * one, such as the failure a redrive just reopened, is not yet the answer), or, when it follows redrives, at the
 * first state from there that nothing reopens (SUCCEEDED or CANCELLED).
 */
public record WatchEnd(long minSequence, boolean followRedrives) {

    /** Ends at the first terminal state, whichever sequence it has. */
    public static final WatchEnd TERMINAL = new WatchEnd(1, false);

    public WatchEnd {
        if (minSequence < 1) {
            throw new IllegalArgumentException("minSequence must be at least 1, not " + minSequence);
        }
    }

    /** Ends at the first terminal state at {@code minSequence} or later. */
    public static WatchEnd terminalFrom(long minSequence) {
        return new WatchEnd(minSequence, false);
    }

    /** Ends at the first state that nothing reopens; FAILED and TIMED_OUT are followed into their redrives. */
    public static WatchEnd followingRedrives() {
        return new WatchEnd(1, true);
    }

    /** Whether this state is the last one to follow. */
    public boolean endsAt(ExecutionView view) {
        if (view.sequence() < minSequence) {
            return false;
        }
        return followRedrives ? view.status().isFinal() : view.status().isTerminal();
    }
}
