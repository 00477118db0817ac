package io.runstream.worker.domain;

/** Port: how often worker instances stopped while they processed an input of an execution. */
public interface CrashCounts {

    int count(String executionId);
}
