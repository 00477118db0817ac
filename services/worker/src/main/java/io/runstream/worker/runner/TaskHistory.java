package io.runstream.worker.runner;

import io.runstream.worker.domain.RunOrder;
import io.runstream.worker.engine.TaskStep;

/** Port: where the steps of a run are recorded as they end. */
public interface TaskHistory {

    void record(RunOrder order, TaskStep step);
}
