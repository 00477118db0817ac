package io.runstream.ingress.web;

import java.util.List;

/** One page of workflows; pass {@code nextCursor} as {@code cursor} for the next page. */
record WorkflowPage(List<WorkflowResponse> items, String nextCursor, boolean hasMore) {
}
