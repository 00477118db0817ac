package io.runstream.projection.web;

import java.util.List;

/** A page: its items, the cursor of the next page (null on the last), and whether there is one. */
record PageResponse<T>(List<T> items, String nextCursor, boolean hasMore) {
}
