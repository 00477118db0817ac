package io.runstream.engine;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A subflow an execution waits on: the number the engine gave it (unique within the execution, like an activity's),
 * the fiber and task ({@code run: workflow}) that wait, and the child execution's id.
 */
public record Child(long seq, int fiber, String at, String executionId) {

    /**
     * The id of the child a task starts: from the parent's id, its redrive count, the task's position and the number
     * the engine gave the start, which differs for every loop iteration and fork branch, so the same start replayed
     * (a crash, a duplicate input) names the same child, and a redrive, which runs the task again, starts a new one.
     */
    static String idOf(String parentId, int redriveCount, String at, long seq) {
        return UUID.nameUUIDFromBytes(("subflow:" + parentId + "/" + redriveCount + at + "#" + seq)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
