package io.runstream.engine;

/**
 * Where a redrive would go on from, kept aside during a turn the first time an error is seen: the progress as it was
 * when the error arose in a task, so that if that error ends the run, a redrive runs that task again with everything
 * before it kept.
 */
final class RedrivePoints {

    private Progress point;
    private WorkflowError cause;

    /** The point kept for this error, if it is the one that arose; null otherwise. */
    Progress pointFor(WorkflowError error) {
        return error == cause ? point : null;
    }

    /**
     * Keeps aside, the first time {@code error} is seen, the progress with the fiber's stack cut back to
     * {@code depth} (dropping the timers of frames above), its next signal {@code again}, and the retries of every
     * {@code try} it is in (in its fiber or, for a fork branch, around the fork) starting over. The copy changes
     * through the {@link Applier} as the progress does, though none of it is recorded: it is kept, not published.
     */
    void capture(Turn turn, Fiber fiber, int depth, Signal again, WorkflowError error) {
        if (error == cause) {
            return;
        }
        Progress copy = turn.progress.copy();
        Fiber at = copy.fibers.get(fiber.id);
        while (at.stack.size() > depth) {
            Frame frame = at.top();
            Applier.apply(copy, new ProgressEvent.FramePopped(at.id));
            if (frame instanceof Frame.TaskFrame t) {
                Applier.apply(copy, new ProgressEvent.TimerForgotten(t.timeoutTimer()));
            } else if (frame instanceof Frame.TryFrame t) {
                Applier.apply(copy, new ProgressEvent.TimerForgotten(t.retryTimer()));
            }
        }
        for (Fiber line = at; line != null; line = copy.fibers.get(line.parent)) {
            for (int i = 0; i < line.stack.size(); i++) {
                if (line.stack.get(i) instanceof Frame.TryFrame t && t.retryTimer() == 0) {
                    Applier.apply(copy, new ProgressEvent.FrameReplaced(line.id, i,
                            new Frame.TryFrame(t.at(), 1, turn.now, 0)));
                    if (i > 0 && line.stack.get(i - 1) instanceof Frame.TaskFrame task) {
                        Applier.apply(copy, new ProgressEvent.FrameReplaced(line.id, i - 1, task.withAttempts(1)));
                    }
                }
            }
        }
        Applier.apply(copy, new ProgressEvent.Signalled(at.id, again));
        point = copy;
        cause = error;
    }
}
