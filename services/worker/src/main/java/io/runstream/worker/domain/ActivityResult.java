package io.runstream.worker.domain;

import io.runstream.engine.HttpResponse;

/** A runner's report for one dispatch of one activity of an execution. */
public record ActivityResult(String executionId, long activity, int dispatch, HttpResponse response) {
}
