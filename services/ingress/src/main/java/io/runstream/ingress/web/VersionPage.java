package io.runstream.ingress.web;

import java.util.List;

/** One page of a workflow's versions, newest first; pass {@code nextCursor} as {@code cursor} for the next. */
record VersionPage(List<VersionResponse> items, String nextCursor, boolean hasMore) {
}
