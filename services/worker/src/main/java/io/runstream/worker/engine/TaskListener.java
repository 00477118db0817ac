package io.runstream.worker.engine;

/** Hears about each task as it ends, so a run's progress can be recorded as history. */
@FunctionalInterface
public interface TaskListener {

    TaskListener NONE = step -> { };

    void onTaskEnded(TaskStep step);
}
